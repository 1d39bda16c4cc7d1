"""Issue-7 editing in a real browser: a provincial authority records an activity with outputs,
attaches a file, records support, and adds a provincial policy; each shows up where a newcomer looks."""
import pathlib
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_editing import sign_in


def fill(browser, values):
    for field, value in values.items():
        element = browser.find_element(By.ID, field)
        if element.tag_name == "select":
            element.find_element(By.CSS_SELECTOR, f'option[value="{value}"]').click()
        else:
            element.clear()
            element.send_keys(value)


def submit(browser, fragment):
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains(fragment))


def test_activity_file_support_and_policy(server, browser, shot):
    sign_in(server, browser, "js@example.org")
    browser.get(server + "/cooperation/new?lang=zh")
    fill(browser, {"kind": "joint_project", "title_zh": "苏锡纳米联合攻关", "title_en": "Suzhou–Wuxi nano project",
                   "started_on": "2026-03-01", "clusters": "NC011 NC002",
                   "outputs": "联合专利 = 12 项\n共建实验室 = 2 个"})
    submit(browser, "/cooperation#COOP002")
    item = browser.find_element(By.ID, "COOP002")
    assert "联合专利：12 项" in item.text
    shot("cooperation-recorded")

    item.find_element(By.LINK_TEXT, "附加文件").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/cooperation/COOP002/documents"))
    pdf = pathlib.Path(tempfile.mkdtemp()) / "合作协议.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% agreement\n")
    fill(browser, {"title": "合作协议", "document_number": "苏锡-2026-1"})
    browser.find_element(By.ID, "file").send_keys(str(pdf))
    submit(browser, "/cooperation#COOP002")
    link = browser.find_element(By.ID, "COOP002").find_element(By.LINK_TEXT, "下载")
    assert link.get_attribute("href").startswith(server + "/attachments/")

    # Support as people write it: an amount with 万 and a date in Chinese.
    browser.get(server + "/takeups/new?lang=zh")
    fill(browser, {"policy": "POL003", "cluster": "NC011", "amount": "100万", "granted_on": "2026年2月1日"})
    submit(browser, "/policies/POL003")
    assert "NC011" in browser.find_element(By.TAG_NAME, "main").text

    # A provincial policy typed with names (a province, the department), no English title, and its
    # eligibility chosen from fields: national clusters with a member in Jiangsu.
    browser.get(server + "/policies/new?lang=zh")
    fill(browser, {"category": "finance", "level": "provincial", "jurisdiction": "江苏", "issuers": "江苏省财政厅",
                   "owners": "江苏省财政厅", "title_zh": "江苏省集群贷款贴息", "source": "浏览器测试",
                   "issued_on": "2026年3月1日", "rule_provinces": "江苏"})
    national = browser.find_element(By.CSS_SELECTOR, 'input[name="rule_tier[]"][value="national"]')
    assert national.is_selected()
    shot("policy-form", width=1366)
    submit(browser, "/policies/POL007")
    assert browser.find_element(By.TAG_NAME, "h1").text == "江苏省集群贷款贴息"
    reached = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "ul.reached > li > a")]
    assert server + "/clusters/NC011" in reached and server + "/clusters/NC001" not in reached
    shot("policy-created")
    # The cluster profile now lists it among the policies it qualifies for.
    browser.get(server + "/clusters/NC011?lang=zh")
    assert "江苏省集群贷款贴息" in browser.find_element(By.TAG_NAME, "main").text
