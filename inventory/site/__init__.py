"""Generation of the transparency site's MkDocs source tree (``build/docs/``).

Each module writes one kind of page from plain values (:class:`inventory.site.sitedata.SiteData`);
:mod:`inventory.site.builder` chains checking, generation and the MkDocs rendering.
"""
