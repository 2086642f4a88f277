"""`peelkg serve` in a real browser: Debian's Chromium driven by Selenium, over a live uvicorn.

Screenshots go to PEELKG_SCREENSHOT_DIR when it is set (docs/screenshots/ holds the committed
ones), else to the test's temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait
from serve_helpers import chromium_driver, close_driver

MET_REPORT = "/id/report/peel-2015-effectiveness-metropolitan"
AFI_1 = ("The force should ensure that it allocates all crimes promptly to investigators with the appropriate "
         "skills, accreditation and experience to investigate them to a high standard.")
QUOTE = ("although the force understands how crimes should be referred to specialist resources to ensure progress "
         "with the subsequent investigation, this referral is often delayed which could affect adversely the "
         "likelihood of a successful outcome.")


@pytest.fixture(scope="module")
def browser():
    driver, profile = chromium_driver()
    try:
        yield driver
    finally:
        close_driver(driver, profile)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("PEELKG_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _save(browser, shots: Path, name: str, top: bool = True) -> None:
    # The whole page, not just the window: widen the window to the document's height first.
    if top:
        browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height, 800), 4000))
    assert browser.save_screenshot(str(shots / f"{name}.png"))
    browser.set_window_size(1280, 1000)


def _arrives_at(browser, url: str) -> bool:
    """Whether the browser gets to ``url`` within 10 s: a click on a link or a form's button
    returns before the new page has loaded (a check of the address at once failed in CI)."""
    try:
        WebDriverWait(browser, 10).until(expected_conditions.url_to_be(url))
    except TimeoutException:
        pass
    return browser.current_url == url


def _choose_cycle(browser, live_server, value: str) -> None:
    """Open the home page and choose an inspection cycle in the grades overview's form, as a
    reader would (the overview shows the newest cycle first: PEEL 2016 effectiveness)."""
    browser.get(live_server + "/")
    Select(browser.find_element(By.ID, "cycle")).select_by_value(value)
    browser.find_element(By.XPATH, "//select[@id='cycle']/ancestor::form//button").click()
    assert _arrives_at(browser, live_server + "/?cycle=" + value), browser.current_url


def test_home_leads_to_the_mets_investigation_grade_and_its_areas_for_improvement(browser, live_server, shots):
    _choose_cycle(browser, live_server, "peel-2015-effectiveness")
    _save(browser, shots, "home")
    met_row = browser.find_element(By.XPATH, "//table[@id='grades-overview']//tr[th//a[text()='Metropolitan Police Service']]")
    cell = met_row.find_element(By.XPATH, "td[3]/a")  # columns: overall, preventing, investigating ...
    assert cell.text == "Requires improvement"
    cell.click()
    assert _arrives_at(browser, live_server + MET_REPORT + "#judgments"), browser.current_url
    row = browser.find_element(By.ID, "judgment-2")
    assert row.find_element(By.TAG_NAME, "th").text == \
        "2. How effective is the force at investigating crime and managing offenders?"
    assert row.find_element(By.CSS_SELECTOR, "td.grade").text == "Requires improvement"
    browser.find_element(By.LINK_TEXT, "Areas for improvement").click()
    items = browser.find_elements(By.XPATH, "//ol[@id='area-for-improvement-list']/li[starts-with(normalize-space(.), 'Question 2:')]")
    assert len(items) == 4
    assert items[0].text.startswith("Question 2: " + AFI_1)
    _save(browser, shots, "report")


def test_a_finding_leads_to_its_quote_highlighted_in_the_source_text(browser, live_server, shots):
    browser.get(live_server + MET_REPORT)
    finding = browser.find_element(By.XPATH, "//li[a[text()='Referral of crimes to specialist investigators is often delayed']]")
    finding.find_element(By.CLASS_NAME, "quote-link").click()
    assert _arrives_at(browser, live_server + MET_REPORT + "/evidence/finding-q2-2-1-01#quote"), browser.current_url
    mark = browser.find_element(By.CSS_SELECTOR, "mark#quote")
    assert mark.text == QUOTE
    assert browser.find_element(By.ID, "source").text == "Page 18 of the report's text"
    # The highlight is visible: a yellow background, in the viewport after jumping to #quote.
    assert mark.value_of_css_property("background-color") == "rgba(255, 221, 0, 1)"
    assert browser.execute_script("const r = arguments[0].getBoundingClientRect(); "
                                  "return r.top >= 0 && r.top < window.innerHeight;", mark)
    _save(browser, shots, "evidence")


def test_grades_overview_shows_the_five_met_grades_coloured_by_grade(browser, live_server):
    _choose_cycle(browser, live_server, "peel-2015-effectiveness")
    headers = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "#grades-overview thead th")]
    assert headers == ["Force", "overall effectiveness", "preventing crime", "investigating crime",
                       "protecting vulnerable people", "serious and organised crime"]
    cells = browser.find_elements(By.XPATH, "//table[@id='grades-overview']//tr[th//a[text()='Metropolitan Police Service']]/td")
    assert [c.text for c in cells] == ["Requires improvement", "Good", "Requires improvement",
                                       "Requires improvement", "Good"]
    colours = {c.text: c.value_of_css_property("background-color") for c in cells}
    assert colours == {"Requires improvement": "rgba(244, 119, 56, 1)", "Good": "rgba(0, 112, 60, 1)"}


def test_force_page_draws_the_grade_history_chart(browser, live_server, shots):
    browser.get(live_server + "/id/force/metropolitan")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Metropolitan Police Service"
    points = browser.find_elements(By.CSS_SELECTOR, "svg.chart circle")
    # the 2015 report's five graded questions and the 2016 overall grade (a grades-table record)
    assert len(points) == 6
    _save(browser, shots, "force")


def test_stored_query_form_runs_with_the_picked_values(browser, live_server):
    browser.get(live_server + "/queries")
    form = browser.find_element(By.ID, "form-areas-for-improvement")
    Select(form.find_element(By.ID, "areas-for-improvement-question")).select_by_value("q4")
    form.find_element(By.TAG_NAME, "button").click()
    wanted = live_server + "/queries/areas-for-improvement?report=peel-2015-effectiveness-metropolitan&question=q4"
    assert _arrives_at(browser, wanted), browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert [r.find_element(By.TAG_NAME, "td").text for r in rows] == ["1", "2", "3", "4"]
    assert rows[0].find_elements(By.TAG_NAME, "td")[1].text.startswith(
        "The force should improve its neighbourhood teams' awareness of organised crime groups")
    csv_link = browser.find_element(By.LINK_TEXT, "csv")
    assert csv_link.get_attribute("href") == (live_server + "/api/queries/areas-for-improvement.csv"
                                              "?report=peel-2015-effectiveness-metropolitan&question=q4")
