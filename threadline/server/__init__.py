"""The speed wall: how requests get in and answers get out.

Owns the ASGI and WSGI entry points (``asgi``, ``wsgi``), Django's request cycle on a
pool of long-lived threads (``handler``), cached thread pages answered before Django
(``fastpath``) and the conditional-request plumbing those pages share with the API view
(``conditional``).

May import the domain (``actions``, ``queries``) and everything below it; nothing under
``threadline`` imports ``server`` except the views that render through its helpers and
the commands that start it. Keep this file free of imports: ``threadline.server.asgi``
must set ``DJANGO_SETTINGS_MODULE`` before Django loads.
"""
