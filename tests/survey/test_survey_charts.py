"""Issue 19, the results' charts: server-drawn SVG that says its numbers as text, shown only where
the table shows numbers, the same in the page and the PDF."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from ethics.survey import answering, charts
from ethics.survey.results import campaign_results
from tests.home import in_english  # noqa: F401  # fixture
from tests.pdf import pdf_text, squeezed
from tests.survey.conftest import all_fives

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def bar_widths(svg: ET.Element) -> list[int]:
    return [int(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]


@pytest.mark.usefixtures("in_english")
def test_a_distribution_bar_shares_its_width_and_says_its_counts():
    svg = parsed(charts.distribution("chart-x", "Answers 1–5: Pay", [1, 1, 1, 0, 3]))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert svg.find(f"{SVG}title").text == "Answers 1–5: Pay" and svg.find(f"{SVG}title").get("id") == "chart-x-title"
    assert bar_widths(svg) == [40, 40, 40, 120]  # no rectangle for a point nobody chose; 240 in all
    assert svg.find(f"{SVG}desc").text == ("1 Strongly disagree: 1 (17%); 2 Disagree: 1 (17%); 3 Not sure: 1 (17%); "
                                           "4 Agree: 0 (0%); 5 Strongly agree: 3 (50%)")
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["1", "1", "1", "3"]


@pytest.mark.usefixtures("in_english")
def test_nobody_answering_is_an_empty_bar_that_says_so():
    empty = parsed(charts.distribution("chart-y", "t", [0] * 5))
    assert bar_widths(empty) == [240] and empty.find(f"{SVG}desc").text == "No answers"


def close_with_answers(org, make_campaign, make_person, unit_sizes, fiscal_year=2570):
    people = [make_person(org["units"][unit]) for unit, size in unit_sizes.items() for _ in range(size)]
    campaign = make_campaign(fiscal_year=fiscal_year)
    for n, person in enumerate(people):
        answering.submit(campaign.id, person.id, all_fives(campaign, 1 + n % 5), "")
    answering.close_campaign(campaign)
    return campaign


def test_the_page_shows_a_bar_per_dimension_and_item_and_last_year_beside_this_year(
        client, auth, org, make_campaign, make_person):
    close_with_answers(org, make_campaign, make_person, {"audit": 5}, fiscal_year=2569)
    campaign = close_with_answers(org, make_campaign, make_person, {"audit": 6})
    client.set_cookie("ethics_lang", "en")
    auth.login("hr")
    page = client.get(f"/survey/campaigns/{campaign.id}/results").text
    ids = re.findall(r'<svg [^>]*aria-labelledby="(chart-[di]\d+)-title', page)
    assert ids == [f"chart-{kind}{thing.id}" for dimension in campaign.dimensions
                   for kind, thing in [("d", dimension)] + [("i", item) for item in dimension.items]]
    first = campaign.items[0]
    assert f'<desc id="chart-i{first.id}-desc">1 Strongly disagree: 2 (33%); 2 Disagree: 1 (17%)' in page
    years = page.split('data-testid="year-chart"')[1].split("</figure>")[0]
    assert "Fiscal year 2570" in years and "Fiscal year 2569" in years
    assert f"{campaign.dimensions[0].name_en}: Fiscal year 2570 " in years


def test_no_chart_where_the_numbers_are_hidden(client, auth, org, make_campaign, make_person):
    campaign = close_with_answers(org, make_campaign, make_person, {"audit": 4})  # below MIN_SCORES overall
    outcome = campaign_results(campaign)
    assert outcome.overall.suppressed
    drawn = charts.ResultCharts(outcome)
    assert not drawn.shown and str(drawn.dimension(campaign.dimensions[0])) == "" and str(drawn.years()) == ""
    auth.login("hr")
    assert "<svg" not in client.get(f"/survey/campaigns/{campaign.id}/results").text.split('data-testid="results-table"')[1]


def test_a_supervisor_sees_no_province_wide_chart(client, auth, org, make_campaign, make_person):
    campaign = close_with_answers(org, make_campaign, make_person, {"dev_team": 6, "audit": 6})
    auth.login("supervisor")
    page = client.get(f"/survey/campaigns/{campaign.id}/results").text
    assert 'class="chart"' not in page and org["units"]["dev_team"].name_th in page


def test_the_pdf_is_a_report_summary_then_charts_then_tables(client, auth, org, make_campaign, make_person):
    campaign = close_with_answers(org, make_campaign, make_person, {"audit": 6, "dev_team": 6})
    auth.login("hr")
    text = squeezed(pdf_text(client.get(f"/survey/campaigns/{campaign.id}/results.pdf").data))
    order = [text.index(heading) for heading in ("สรุปผล", "การกระจายของคำตอบ", "ผลรายด้านและรายข้อ", "ผลรายหน่วยงาน")]
    assert order == sorted(order)
    assert "12/" in text and "ร้อยละ" in text  # who answered, before any chart
    charts_part = text[order[1]:order[2]]
    assert squeezed(campaign.items[0].text_th) in charts_part  # each item beside its bar
    assert org["units"]["dev_team"].name_th in text[order[3]:]
