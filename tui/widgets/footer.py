"""Textual's footer, without the keys it forgets to let go of."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The key footer, rebuilt on every change of the bindings, keeping only its live keys.

    Textual 8.2.8's footer binds each new key to its ``compact`` setting on every
    recompose (a focus move, a refresh starting or ending) and drops the old keys'
    watchers only when ``compact`` changes, which it never does here. A reader left
    open kept every key it ever showed: 590 dead keys after nine refreshes in the soak
    benchmark, about 2 MB a refresh. After each recompose the watchers of keys that
    are gone are dropped (Textual's own rule: a closing node's watcher goes).
    """

    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", None)
        if not watchers:
            return
        for entries in watchers.values():
            entries[:] = [
                (node, callback)
                for node, callback in entries
                if not (getattr(node, "_closing", False) or getattr(node, "_closed", False))
            ]
