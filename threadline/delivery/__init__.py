"""Delivery: work done after commit, off the request thread, and what it sends.

Owns the jobs (``jobs``: thin, take ids, call one action) and where they run
(``jobqueue``: the database queue, its worker threads, Celery), the after-commit hook the
actions call (``events``), the live stream (``live``), outbound webhooks (``webhooks``),
reply and digest e-mail (``notifications``), the link that confirms an account's address
(``accountmail``) and the Atom feeds (``feeds``).

May import the domain (``actions``, ``queries``, ``domain``), ``scoring``, ``db``, the
models and ``server``'s counters (``server.ops``) and caches (``server.countcache``); never
the views (``api``, ``dashboard``, ``web``) or the commands. The actions import four of its
leaves, which import no action: ``events`` (how an action asks for follow-up work),
``notifications``, ``webhooks`` and ``accountmail`` (what a mail or a webhook says and where
it goes); the contracts in ``pyproject.toml`` name these, and nothing else of delivery, as
the domain's to use.
"""
