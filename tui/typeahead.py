"""Keys typed ahead reach the field they were typed for (``TypeAhead``, a
mixin of ``tui.app.BangfuApp``).

Textual hands a key to the focused widget and goes straight on to the next
key; a Tab or Enter that moves the focus is acted on only when the key has
bubbled back up to the app, behind the keys that came with it.  Keys that
arrive in one burst (a fast typist, an SSH packet carrying several
keystrokes) then land in the old field, or a Tab is lost.  So while one key
is on its way, the keys after it wait here, in order, and each is dispatched
once the one before has been handled.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

    _AppBase = App
else:
    _AppBase = object


# keys that move the focus by the screen's layout (Textual orders the focus chain
# by where widgets are on the screen)
FOCUS_KEYS = frozenset({"tab", "shift+tab", "enter"})


class TypeAhead(_AppBase):
    """The app's ``on_event``: keys in order, each after the one before it."""

    KEY_SETTLE_SECONDS = 0.25  # a key's round trip waits at most this long; never a hang

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # keys typed ahead of the one being handled
        self._key_queue: deque[events.Key | events.Paste] = deque()
        self._key_busy = False
        self._key_task: asyncio.Task | None = None
        self._typed_into: DOMNode | None = None  # the text field the last typed letters went to

    async def on_event(self, event: events.Event) -> None:
        """Keys typed ahead reach the field they were typed for (see the module's text)."""
        if isinstance(event, events.Paste) and not event.is_forwarded:
            if self._key_busy:  # pasted after keys still on their way: after them
                self._key_queue.append(event)
                return
            self._clean_paste(event)
        if not isinstance(event, events.Key) or event.is_forwarded or not self.is_running:
            await super().on_event(event)
            return
        if self._key_busy:
            self._key_queue.append(event)
            return
        if self._stays_in_field(event):
            self._typed_into = self.focused
            await super().on_event(event)  # typing: no round trip needed (and none paid)
            return
        if self._typed_into is not None:
            # what was typed is taken in first: a priority binding (Enter that
            # saves, say) acts at once and must not overtake the last letters
            await self._through(self._chain(self._typed_into))
            self._typed_into = None
        if event.key in FOCUS_KEYS:
            # a key just before it may have shown or hidden a row that the screen
            # has not laid out yet: this one goes once it has (keys behind it wait)
            self._key_busy = True
            self._key_queue.appendleft(event)
            self._key_task = asyncio.create_task(self._after_layout())
            return
        await self._dispatch_key(event)

    async def _after_layout(self) -> None:
        await self._laid_out()
        if not self.call_later(self._next_key):
            self._key_busy = False

    def _stays_in_field(self, event: events.Key) -> bool:
        """A character for the focused text field: it is taken in there and
        moves no focus, so the next key may follow at once.  (Backspace, the
        arrows and the like are the field's bindings, resolved only when the
        key bubbles back up to the app: they take the round trip.)"""
        if not event.is_printable:
            return False
        focused = self.focused
        # TextArea by name: it is imported only when a form first needs it
        return isinstance(focused, Input) or any(
            base.__name__ == "TextArea" for base in type(focused).__mro__)

    async def _dispatch_key(self, event: events.Key) -> None:
        self._key_busy = True
        chain = self._chain(self.focused or self.screen)
        await super().on_event(event)  # priority bindings, else to the focused widget
        self._key_task = asyncio.create_task(self._key_handled(chain))

    def _chain(self, widget: DOMNode | None) -> list[DOMNode]:
        """The widget and its containers up to the screen: where a key bubbles."""
        chain = []
        while widget is not None and widget is not self:
            chain.append(widget)
            widget = widget.parent
        return chain

    async def _through(self, chain: list[DOMNode]) -> None:
        """Wait until each of ``chain`` has handled what was queued for it (in
        order, so what one bubbled to the next is waited for too)."""
        for node in chain:
            done = asyncio.Event()
            if not node.call_later(done.set):
                continue  # gone (a closed screen): nothing more to wait for there
            try:
                await asyncio.wait_for(done.wait(), self.KEY_SETTLE_SECONDS)
            except TimeoutError:
                return

    async def _key_handled(self, chain: list[DOMNode]) -> None:
        """Once the key went through the widget and its containers (a bubbled key
        is then in the app's queue), let the next key go, after it."""
        await self._through(chain)
        following = self._key_queue[0] if self._key_queue else None
        if isinstance(following, events.Key) and following.key in FOCUS_KEYS:
            await self._laid_out()
        if not self.call_later(self._next_key):
            self._key_busy = False

    @property
    def keys_waiting(self) -> bool:
        """Keys typed ahead are still on their way (a test waits for this)."""
        return self._key_busy or bool(self._key_queue)

    async def _laid_out(self) -> None:
        """Wait until the screen is laid out after what the keys before did (at
        once when nothing waits to be laid out).  Textual orders Tab's focus chain
        by where widgets are on the screen: a Tab right behind a key that showed a
        row (the export's dates, for contacts) went by the old layout and skipped
        a field."""
        done = asyncio.Event()
        if not self.screen.call_after_refresh(done.set):
            return
        try:
            await asyncio.wait_for(done.wait(), self.KEY_SETTLE_SECONDS)
        except TimeoutError:
            return

    async def _next_key(self) -> None:
        self._key_busy = False
        while self._key_queue:
            event = self._key_queue.popleft()
            if not isinstance(event, events.Paste):
                await self._dispatch_key(event)
                return
            self._clean_paste(event)  # for the field focused now
            await super().on_event(event)

    def _clean_paste(self, event: events.Paste) -> None:
        """A pasted escape never reaches a field; a one-line field keeps every
        pasted line (joined by spaces), never only the first."""
        from db.text import clean

        event.text = clean(event.text, multiline=not isinstance(self.focused, Input))
