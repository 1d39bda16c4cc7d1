"""Document intake in a real browser: paste a damaged text, then upload a damaged page."""
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CORPUS = pathlib.Path(__file__).resolve().parent.parent / "IntakeCorpus" / "generated"
def submit_and_wait(browser):
    """Submits the form and waits for the report (the address stays /intake, so wait for the element)."""
    browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    return WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "repaired")))


DAMAGED = "天天短訊!2022年11月30日,45個(gè)國家級(jí)集群涉及19個(gè)?。ㄗ灾螀^(qū)、直轄市)、3個(gè)計(jì)劃單列市"


def test_pasted_text_comes_back_repaired_and_checked(server, browser, shot):
    browser.get(server + "/intake?lang=zh")
    assert browser.find_element(By.TAG_NAME, "h1").text == "文本整理与核对"
    browser.find_element(By.ID, "text").send_keys(DAMAGED)
    repaired = submit_and_wait(browser).text
    assert repaired == "2022年11月30日，45个国家级集群涉及19个省（自治区、直辖市）、3个计划单列市"
    figures = [row.find_elements(By.TAG_NAME, "td")[0].text
               for row in browser.find_elements(By.CSS_SELECTOR, "#figures tbody tr")]
    assert figures == ["45个", "19个", "3个"]
    assert len(browser.find_elements(By.CSS_SELECTOR, "#reconciliation td.agrees")) == 3
    # The form keeps the pasted text for another try.
    assert browser.find_element(By.ID, "text").get_attribute("value").startswith("天天短訊!")
    shot("intake-pasted")


def test_uploaded_page_in_english(server, browser, shot):
    browser.get(server + "/intake?lang=en")
    page = CORPUS / "06-2024-list.damaged.txt"
    browser.find_element(By.ID, "file").send_keys(str(page))
    assert submit_and_wait(browser).text.startswith("第四批国家先进制造业集群名单公布")
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#clusters a")]
    assert "泉州现代体育产品集群" in names
    assert any("disagrees" in td.text for td in browser.find_elements(By.CSS_SELECTOR, "#reconciliation td.disagrees"))
    shot("intake-uploaded-en")
