"""Keeping one's place and finding clusters, in a real browser: a deep link comes back after signing
in; a half-filled form survives an expired session; a WeChat-style shared link opens; the searches
people try find what they should."""
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD, click_and_load
from test_editing import sign_in


def type_credentials(browser, email):
    browser.find_element(By.ID, "email").clear()
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)


def test_a_deep_link_comes_back_after_signing_in(server, browser):
    browser.delete_all_cookies()
    browser.get(server + "/work?lang=zh")
    WebDriverWait(browser, 10).until(EC.url_contains("/login?next="))
    type_credentials(browser, "js@example.org")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    assert browser.current_url.split("?")[0] == server + "/work"


def test_an_expired_session_keeps_a_half_filled_form(server, browser, shot):
    sign_in(server, browser, "js@example.org")
    browser.get(server + "/announcements/new?lang=zh")
    title = "苏州纳米集群年度对接会通知"
    for field, value in [("title_zh", title), ("title_en", "Suzhou nano cluster matchmaking"),
                         ("source", "江苏省工业和信息化厅"), ("clusters", "NC011")]:
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.ID, "body_zh").send_keys("对接会将于十二月在苏州举行。")
    # The session runs out while the form is open.
    browser.delete_cookie("ladder_session")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form#publish button[type=submit]"))
    assert "登录已过期" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    shot("sign-in-again")
    type_credentials(browser, "js@example.org")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "继续提交" in main and title in main
    shot("sign-in-resume")
    click_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]"))
    assert "/announcements/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == title


def test_a_shared_link_from_wechat_opens(server, browser):
    browser.get(server + "/clusters?province=32&from=singlemessage&isappinstalled=0&lang=zh")
    assert browser.find_element(By.TAG_NAME, "h1").text == "集群名录"
    ids = [a.get_attribute("href").rsplit("/", 1)[-1] for a in browser.find_elements(By.CSS_SELECTOR, "table.clusters td:nth-child(2) a")]
    assert "NC011" in ids and "NC001" not in ids


def test_the_searches_people_try(server, browser, shot):
    def found(q):
        browser.get(server + "/clusters?lang=zh&per_page=100&q=" + quote(q))
        return [a.get_attribute("href").rsplit("/", 1)[-1]
                for a in browser.find_elements(By.CSS_SELECTOR, "table.clusters td:nth-child(2) a")]

    assert found("wxwlw") == ["NC002"]
    assert found("wuxi wulianwang") == ["NC002"]
    assert "NC060" in found("深圳")
    assert found("苏州 纳米") == ["NC011"]
    slip = found("深川")
    assert "NC001" in slip
    assert "以下是“深圳”的结果" in browser.find_element(By.CSS_SELECTOR, "p.notice").text
    shot("search-corrected")
