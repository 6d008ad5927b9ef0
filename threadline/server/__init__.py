"""The speed wall: how requests get in and answers get out.

Owns the ASGI and WSGI entry points (``asgi``, ``wsgi``), Django's request cycle on a
pool of long-lived threads (``handler``), cached thread pages answered before Django
(``fastpath``) and the conditional-request plumbing those pages share with the API view
(``conditional``); the middleware (``middleware``), who the client is behind proxies
(``clientaddr``), which origins a site allows (``origins``), rate limits (``ratelimit``),
``/metrics`` and the health checks (``ops``) and the caches in front of the thread and
count reads (``threadcache``, ``countcache``).

May import the domain (``actions``, ``queries``, ``domain``), ``delivery`` and everything
below them. Above it are only the commands that start it; the views use its request
helpers (``clientaddr``, ``ratelimit``, the caches, ``conditional``). Three of its modules
are also used below it, named in the contracts in ``pyproject.toml``: the actions call
``ratelimit.check_rate`` and forget counts through ``countcache``, and ``delivery`` counts
jobs in ``ops`` and forgets counts through ``countcache``. Keep this file free of imports:
``threadline.server.asgi`` must set ``DJANGO_SETTINGS_MODULE`` before Django loads.
"""
