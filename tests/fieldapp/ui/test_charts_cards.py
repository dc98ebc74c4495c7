"""The trend cards' widgets: one per shown metric, named for screen readers, edged in colour."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from fieldapp.ui.charts_cards import TrendCards
from fieldapp.ui.charts_cards_state import Card
from fieldapp.ui.palette import CHART_COLOURS


def card(metric: str) -> Card:
    return Card(  # type: ignore[arg-type]
        metric, f"{metric} rate", "Now 1", "Avg 2", "↘ Declining", "declining", "↘", "", "ETS"
    )


def test_one_card_per_metric_and_the_rest_hidden(qtbot: QtBot) -> None:
    cards = TrendCards()
    qtbot.addWidget(cards)
    cards.show()
    cards.show_cards([card("oil"), card("gas"), card("water")], "standard")
    assert len(cards.texts()) == 3
    cards.show_cards([card("water")], "sunlight")
    assert cards.texts() == ["water rate. Now 1. Avg 2. ↘ Declining. ETS"]
    shown = cards.cards[0]
    assert shown.accessibleName() == cards.texts()[0]
    assert CHART_COLOURS["sunlight"].water in shown.styleSheet() and shown.toolTip() == "ETS"
    assert "<b>water rate</b><br>Now 1" in shown.text.text()
