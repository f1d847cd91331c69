"""Patent pools: members, expert admission, licensing, royalties, allocation, disputes.

Pure rules (``money``, ``allocation``, ``royalties``, ``admission``, ``disputes``, ``stats``)
stay apart from storage (``models``, ``service``) and the edges (``views``, CLI, pages).
"""
