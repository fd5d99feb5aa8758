"""A local forge emulator (GitHub REST, GitLab v4, Gitea API) for tests without network.

``core`` holds the generic machinery (routes, ETags, pagination, fault injection, request
log); one module per forge registers that forge's routes; ``fixtures`` holds the pytest
fixtures shared by every crawl test (import them from a ``conftest.py``).
"""
