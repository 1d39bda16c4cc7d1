"""Two-step verification as a city official sets it up: the key typed into an authenticator app (here
computed as the app would, RFC 6238), the recovery codes shown once, and the code asked for at the
next sign-in."""
import base64
import hashlib
import hmac
import struct
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import PASSWORD
from test_editing import sign_in


def totp(secret_base32, step):
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_a_city_official_turns_on_two_step_verification_and_is_asked_for_a_code(server, browser, shot):
    sign_in(server, browser, "wuxi@example.org")
    browser.find_element(By.LINK_TEXT, "设置两步验证").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/account/two-factor"))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    secret = browser.find_element(By.ID, "totp-secret").text.replace(" ", "")
    shot("two-step-setup")
    step = int(time.time() // 30)
    browser.find_element(By.ID, "code").send_keys(totp(secret, step))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "recovery-codes")))
    assert "两步验证已开启" in browser.find_element(By.TAG_NAME, "h1").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#recovery-codes li")) == 10
    shot("two-step-recovery-codes")

    # The next sign-in asks for a code after the password; a wrong one is refused in Chinese.
    browser.delete_all_cookies()
    browser.get(server + "/login?lang=zh")
    browser.find_element(By.ID, "email").send_keys("wuxi@example.org")
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "code")))
    assert "输入验证码" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.ID, "code").send_keys("000000")
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "p.error")))
    assert "验证码不正确" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    shot("two-step-code-refused")
    # The code that turned it on counts once: a later step's code signs in (the app's current one, or
    # the next when the clock is still in the step that turned it on).
    browser.find_element(By.ID, "code").send_keys(totp(secret, max(step + 1, int(time.time() // 30))))
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/account"))
    assert "无锡" in browser.find_element(By.TAG_NAME, "main").text
