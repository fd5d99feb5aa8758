"""The transparency site: the MkDocs source tree (``build/docs/``) and its rendering.

Owns: one module per page type, writing Markdown from plain values
(:class:`inventory.site.sitedata.SiteData`), and the build (:mod:`inventory.site.builder`):
checking, generation, the open data, the MkDocs rendering, and the performance devices
(:mod:`inventory.site.devices`).

May import: every layer below it (shared values, register, catalogue, interchange, insights,
exports); never the command line.
"""
