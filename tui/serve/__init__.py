"""``broadsheet serve``: the reader in a browser tab, through textual-serve.

textual-serve runs one reader process per browser tab and relays its screen over a
websocket. It has no authentication of its own, so ours wraps its aiohttp app:
``access`` (who may use it: a token, then a cookie, and the websocket's Origin),
``page`` (what the page may load: nothing from the internet) and ``server`` (binding,
the one line on stdout, and a clean stop that leaves no reader behind).
"""
