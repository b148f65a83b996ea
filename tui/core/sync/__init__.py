"""Sync with a Google Reader API server (FreshRSS, Miniflux, Inoreader), offline first.

    ids       the two forms of an item id          types    what the server hands us
    account   the saved login (token only, owner-only file)
    client    the HTTP client (aiohttp): login, token, ids, contents, edits
    items     server JSON -> terminal-safe ``SyncedItem``
    engine    one sync: send the queue, subscriptions, new ids, contents, state
    report    what a sync did (light: the reader reads it without aiohttp)

Local changes wait in the store's queue (``store.sync``) until a sync sends them.
"""
