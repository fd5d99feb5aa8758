"""Run part of a build in a forked child process while the parent goes on.

The child is forked, so it sees the parent's memory as it is at that moment: the function and
the data it reads (records, tens of thousands of repositories) are not pickled. Only its
result, a small value, comes back through a pipe, and so does an exception it raised.

Without ``fork`` (or when ``parallel`` is off), the function simply runs at once, in the
calling process, and :meth:`Task.result` returns what it returned: the same files get
written either way.
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from inventory.errors import SiteError

T = TypeVar("T")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _run(function: Callable[[], Any], channel: Connection) -> None:
    """Body of the child: send ``(True, result, seconds)`` or ``(False, exception, seconds)``.

    Ctrl-C is left to the parent, which stops its children (:meth:`Task.cancel`): the child
    prints no traceback of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    started = time.perf_counter()
    ok = True
    try:
        value = function()
    except Exception as exc:  # handed to the parent, which raises it again
        ok, value = False, exc
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # an exception that cannot cross the pipe
            value = SiteError(f"la construction a échoué : {exc}")
    channel.send((ok, value, time.perf_counter() - started))
    channel.close()


class Task(Generic[T]):
    """A function running in a child process (or already run, when it could not be forked)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.seconds = 0.0  # time the function took, wherever it ran
        self._process: Any = None
        self._channel: Connection | None = None
        self._value: Any = None
        self._error: BaseException | None = None
        self._done = False

    @classmethod
    def start(cls, label: str, function: Callable[[], T], *, parallel: bool = True) -> Task[T]:
        """Start ``function`` in a forked child; run it at once when forking is not possible."""
        task: Task[T] = cls(label)
        if parallel and can_fork():
            context = multiprocessing.get_context("fork")
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_run, args=(function, sender), daemon=True)
            try:
                process.start()
            except OSError:
                receiver.close()
            else:
                sender.close()
                task._process, task._channel = process, receiver
                return task
            finally:
                if task._process is None:
                    sender.close()
        started = time.perf_counter()
        try:
            task._value = function()
        except Exception as exc:  # raised again by result(), like a child's
            task._error = exc
        task.seconds = time.perf_counter() - started
        task._done = True
        return task

    def result(self) -> T:
        """Wait for the function; its result, or the exception it raised."""
        if not self._done:
            self._wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[no-any-return]

    def _wait(self) -> None:
        assert self._channel is not None and self._process is not None
        try:
            ok, value, seconds = self._channel.recv()
        except (EOFError, OSError):
            self._error = SiteError(f"la construction a été interrompue ({self.label})")
        else:
            self.seconds = seconds
            if ok:
                self._value = value
            else:
                self._error = value
        finally:
            self._channel.close()
            self._process.join()
            self._process = self._channel = None  # nor the function and its data, any more
            self._done = True

    def cancel(self) -> None:
        """Stop the child if it still runs (the build failed elsewhere); never raises."""
        if self._done:
            return
        assert self._channel is not None and self._process is not None
        self._process.terminate()
        self._process.join()
        self._channel.close()
        self._process = self._channel = None
        self._error = SiteError(f"la construction a été annulée ({self.label})")
        self._done = True
