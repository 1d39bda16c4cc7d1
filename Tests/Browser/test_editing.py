"""Signing in and editing in a real browser: a provincial user edits a cluster of theirs and is refused another."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD


def sign_in(server, browser, email):
    browser.delete_all_cookies()
    browser.get(server + "/login?lang=zh")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/account"))


def test_provincial_user_edits_own_cluster_and_is_refused_another(server, browser, shot):
    sign_in(server, browser, "js@example.org")
    assert "省级工业和信息化主管部门（江苏省）" in browser.find_element(By.TAG_NAME, "main").text
    browser.get(server + "/clusters/NC011")
    browser.find_element(By.CSS_SELECTOR, "a.edit").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/clusters/NC011/edit"))
    org = browser.find_element(By.ID, "promotion_org")
    org.clear()
    org.send_keys("苏州纳米产业促进中心")
    shot("edit-NC011")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_to_be(server + "/clusters/NC011"))
    assert "js@example.org · 修改集群" in browser.find_element(By.ID, "changes-title").find_element(By.XPATH, "..").text
    browser.get(server + "/clusters/NC001/edit")
    assert browser.find_element(By.TAG_NAME, "h1").text == "403 无权访问"
    browser.get(server + "/audit")
    outcomes = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.audit tbody td:nth-child(5)")]
    assert "完成" in outcomes and "拒绝" in outcomes
    shot("audit-js")


def test_admin_sees_every_entry_and_the_users(server, browser, shot):
    sign_in(server, browser, "admin@example.org")
    browser.get(server + "/admin/users")
    assert "js@example.org" in browser.find_element(By.TAG_NAME, "table").text
    shot("admin-users")
    browser.get(server + "/audit?lang=en")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Audit trail"
    assert "entries you may read" in browser.find_element(By.CSS_SELECTOR, "p.lead").text
    browser.delete_all_cookies()
