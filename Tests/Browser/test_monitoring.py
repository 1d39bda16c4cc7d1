"""Yearly monitoring in a real browser: the lead city files last year's return for NC011 and
submits it, the Jiangsu authority reviews it from its inbox, the admin accepts it, and the cluster
then appears in the year's competitiveness ratings."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import click_and_load
from test_editing import sign_in

YEAR = datetime.date.today().year - 1
RETURN = f"/clusters/NC011/returns/{YEAR}"
VALUES = {"output": "1.2e11", "above_size_firms": "420", "profit": "7.5e9", "rd_intensity": "0.045", "national_carriers": "6",
          "invention_patents": "2600", "champions": "4", "little_giants": "38", "listed_firms": "11", "local_supply": "0.52",
          "public_platforms": "9", "export_share": "0.18", "cross_region_projects": "14", "body_staff": "12", "body_events": "30"}


def press(browser, step):
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, f'button[name="step"][value="{step}"]'))


def test_a_return_is_filed_reviewed_accepted_and_rated(server, browser, shot):
    sign_in(server, browser, "suzhou@example.org")
    browser.get(server + "/work?lang=zh")
    link = browser.find_element(By.CSS_SELECTOR, f'a[href="{RETURN}"]')
    assert str(YEAR) in link.text
    link.click()
    WebDriverWait(browser, 10).until(EC.url_contains(RETURN))

    # A share typed as a percentage is refused and named; what was typed stays in the form.
    browser.find_element(By.ID, "value_rd_intensity").send_keys("4.5")
    press(browser, "save")
    assert "0 到 1 之间的小数" in browser.find_element(By.ID, "error-value_rd_intensity").text
    assert browser.find_element(By.ID, "value_rd_intensity").get_attribute("value") == "4.5"
    shot("return-refused")

    # The output typed as people say it; submitting with the rest empty saves the draft, says so, and
    # flags every field that still blocks the submission at once.
    field = browser.find_element(By.ID, "value_rd_intensity")
    field.clear()
    browser.find_element(By.ID, "value_output").send_keys("960亿")
    press(browser, "submit")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "已保存为草稿" in main and "尚未报送" in main
    assert "报送前须填写此项" in browser.find_element(By.ID, "error-value_profit").text
    assert "报送前须填写此项" in browser.find_element(By.ID, "error-value_champions").text
    assert browser.find_element(By.ID, "value_output").get_attribute("value") == "960亿"
    shot("return-saved-flagged", width=1366)

    for code, value in VALUES.items():
        if code == "output":
            continue
        field = browser.find_element(By.ID, "value_" + code)
        field.clear()
        field.send_keys(value)
    press(browser, "submit")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "已报送" in main
    shot("return-submitted")

    sign_in(server, browser, "js@example.org")
    browser.get(server + "/work?lang=zh")
    browser.find_element(By.CSS_SELECTOR, f'a[href="{RETURN}"]').click()
    WebDriverWait(browser, 10).until(EC.url_contains(RETURN))
    browser.find_element(By.ID, "review_comment").send_keys("数据已核")
    press(browser, "province_review")
    assert "省级已审核" in browser.find_element(By.TAG_NAME, "main").text

    sign_in(server, browser, "admin@example.org")
    browser.get(server + RETURN + "?lang=en")
    press(browser, "accept")
    assert "accepted" in browser.find_element(By.TAG_NAME, "main").text
    shot("return-accepted")

    browser.get(server + f"/ratings?year={YEAR}&lang=en")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "From the accepted returns (1 of 78 clusters)" in main
    assert browser.find_elements(By.CSS_SELECTOR, 'a[href="/clusters/NC011"]')
    shot("ratings")
