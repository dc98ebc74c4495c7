"""The trend cards above the chart: one framed card per shown metric (words from
`charts_cards_state`; this module only lays them out and colours their edge)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fieldapp.ui import theme
from fieldapp.ui.charts_cards_state import Card
from fieldapp.ui.palette import CHART_COLOURS


class TrendCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel("")  # one label: the title in bold, then the card's lines
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.text)
        self.card: Card | None = None

    def show_card(self, card: Card, theme_name: str) -> None:
        self.card = card
        colour = getattr(CHART_COLOURS[theme_name], card.metric)
        self.setStyleSheet(
            f"QFrame#trendCard {{ border: 1px solid {theme.spec(theme_name).grid};"
            f" border-left: 6px solid {colour}; border-radius: 4px; }}"
        )
        self.text.setFont(self._font(theme_name))
        lines = [f"<b>{html.escape(card.title)}</b>"]
        lines += [html.escape(line) for line in card.lines() if line]
        self.text.setText("<br>".join(lines))
        self.setAccessibleName(card.spoken())
        self.setToolTip(card.fit)

    def _font(self, theme_name: str) -> QFont:
        font = QFont(self.text.font())
        font.setPointSize(theme.BASE_FONT_PT)  # five lines per card: the chart keeps its room
        font.setBold(theme.spec(theme_name).bold)
        return font


class TrendCards(QWidget):
    """A row of cards, one per shown metric, in the order of the chart's legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Trend cards")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(theme.SPACING)
        self.cards: list[TrendCard] = []

    def show_cards(self, cards: list[Card], theme_name: str) -> None:
        while len(self.cards) < len(cards):
            box = TrendCard(self)
            self.cards.append(box)
            self.row.addWidget(box, 1)
        for widget, card in zip(self.cards, cards, strict=False):
            widget.show_card(card, theme_name)
            widget.show()
        for widget in self.cards[len(cards) :]:
            widget.hide()

    def texts(self) -> list[str]:
        """What the visible cards say, one string each (tests and screen readers)."""
        return [c.card.spoken() for c in self.cards if c.isVisible() and c.card is not None]
