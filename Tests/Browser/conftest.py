"""Browser tests: a real headless Chromium, driven over WebDriver, against the real `ladder` binary.

Run with `python3 -m pytest Tests/Browser` after `swift build`. Needs Debian's `chromium` and
`chromium-driver` (and `fonts-noto-cjk` for readable screenshots) plus `pip install selenium pytest`.
Without a browser the tests are skipped, except when CI=true, where that is a failure.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHOTS = os.environ.get("LADDER_SCREENSHOTS") or tempfile.mkdtemp(prefix="ladder-screenshots-")
PASSWORD = "Browser-Tests-2026"
USERS = [
    ("admin@example.org", "admin", None), ("js@example.org", "provincial", "32"), ("suzhou@example.org", "city", "苏州"),
    ("wuxi@example.org", "city", "无锡"),
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing_browser(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("LADDER_BIN") or os.path.join(ROOT, ".build", "debug", "ladder")
    if not os.path.exists(binary):
        pytest.fail(f"no ladder binary at {binary}; run `swift build` first")
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="ladder-browser-")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    # Accounts for the sign-in tests, made with the CLI as an operator would.
    for email, role, scope in USERS:
        args = [binary, "users", "create", "--email", email, "--role", role] + (["--scope", scope] if scope else [])
        subprocess.run(args, cwd=workdir, env=env, input=PASSWORD + "\n", text=True, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = open(os.path.join(workdir, "serve.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--port", str(port)], cwd=workdir, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("the server did not start; see " + log.name)
        time.sleep(0.5)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing_browser("selenium is not installed (pip install selenium)")
    driver_path = shutil.which("chromedriver")
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not driver_path or not chrome:
        _missing_browser("chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1600", "--lang=zh-CN"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def shot(browser):
    os.makedirs(SHOTS, exist_ok=True)

    def save(name, width=1280):
        # Full-page screenshot: grow the window to the document's height first.
        browser.set_window_size(width, 800)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, max(800, min(height + 40, 6000)))
        path = os.path.join(SHOTS, name + ".png")
        browser.save_screenshot(path)
        browser.set_window_size(1280, 1600)
        return path

    return save


def click_and_load(browser, element, timeout=15):
    """Clicks something that loads a new page, even one at the same address, and waits for it.

    The old document is marked first; the wait ends when a document without the mark has finished
    loading. Asking the driver about the old page while it is being replaced can fail with an
    unspecific error ("Node with given id does not belong to the document"), so such errors only
    mean "not yet" here."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("document.documentElement.setAttribute('data-leaving', '1')")
    element.click()
    WebDriverWait(browser, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script(
            "return document.readyState === 'complete' && !document.documentElement.hasAttribute('data-leaving')"))


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"screenshots: {SHOTS}")
