"""Ofsted's counting of its official snapshot, as data (domain.counting)."""

from __future__ import annotations

from datetime import date

from ofsted_csc.domain.counting import counting_words, official_published_by


def test_31_march_counts_reports_published_by_30_june_and_other_days_their_own() -> None:
    assert official_published_by(date(2024, 3, 31)) == date(2024, 6, 30)
    assert official_published_by(date(2019, 3, 31)) == date(2019, 6, 30)
    assert official_published_by(date(2024, 3, 30)) is None
    assert official_published_by(date(2024, 4, 1)) is None


def test_the_words_say_which_rule_counted() -> None:
    ofsted = counting_words(date(2024, 3, 31), date(2024, 6, 30))
    assert "as Ofsted counts" in ofsted and "30 June 2024" in ofsted and "assumed" not in ofsted
    assert "assumed" in counting_words(date(2023, 8, 31), date(2023, 11, 30))
    same = counting_words(date(2024, 3, 30), date(2024, 3, 30))
    assert same == "inspections up to 30 March 2024 whose reports were published by then"
    chosen = counting_words(date(2024, 3, 31), date(2024, 5, 1))
    assert "not Ofsted's rule" in chosen and "1 May 2024" in chosen
