#!/usr/bin/env python3
"""A readmission case driven through both consoles of `accord demo` in headless Chromium.

Starts the demo (hub + Belgium + Morocco over mutual TLS), then, as officers of both states:
Belgium composes and sends an application; Morocco checks the registries and asks a question;
Belgium answers; Morocco decides with four eyes (the proposer cannot approve) and issues a
travel document; Belgium notifies and confirms the transfer. Checks each side's state in the
page, the receipts in the timeline, the statistics in French, and keeps screenshots.

    readmission_flow.py --accord .build/debug/accord --out .build/test-artifacts/browser
"""
import argparse
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait


class Flow:
    def __init__(self, accord, out):
        self.accord = accord
        self.out = out
        self.shots = 0
        os.makedirs(out, exist_ok=True)

    # The demo process
    def start_demo(self):
        self.data = tempfile.mkdtemp(prefix="accord-browser-")
        self.demo = subprocess.Popen(
            [self.accord, "demo", "--data-dir", self.data, "--cases", "0", "--port", "0", "--partner-port", "0", "--quick-win-port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines = []
        deadline = time.time() + 180
        while time.time() < deadline:
            line = self.demo.stdout.readline()
            if not line:
                raise SystemExit("the demo ended early:\n" + "".join(lines))
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        text = "".join(lines)
        self.demo_output = text
        self.belgium = re.search(r"Belgium \(requesting state\):\s+(http://\S+)/console/readmission", text).group(1)
        self.morocco = re.search(r"Morocco \(partner country\):\s+(http://\S+)/console/readmission", text).group(1)
        self.georgia = re.search(r"Georgia \(quick-win on the hub\):\s+(http://\S+)/console/readmission", text).group(1)
        self.password = re.search(r"sign in as bel\.liaison / (\S+)", text).group(1)

    def stop_demo(self):
        self.demo.send_signal(signal.SIGINT)
        try:
            self.demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.demo.kill()
            raise SystemExit("the demo did not stop within 30 s of Ctrl-C")
        shutil.rmtree(self.data, ignore_errors=True)

    # Browsers
    def browser(self, width=1366, height=900):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}", "--lang=en-GB"]:
            options.add_argument(argument)
        return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

    def shot(self, driver, name):
        self.shots += 1
        driver.save_screenshot(os.path.join(self.out, f"{self.shots:02d}-{name}.png"))

    def sign_in(self, driver, base, user):
        driver.get(base + "/console/login")
        driver.find_element(By.NAME, "user").send_keys(user)
        driver.find_element(By.NAME, "password").send_keys(self.password)
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.login button"))
        driver.get(base + "/console/readmission")
        assert "/console/readmission" in driver.current_url, f"{user}: {driver.current_url}: {driver.find_element(By.TAG_NAME, 'body').text[:300]}"

    def sign_out(self, driver):
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.logout button"))

    def status(self, driver):
        return driver.find_element(By.ID, "case-status").get_attribute("data-status")

    def wait_status(self, driver, url, wanted, timeout=45):
        deadline = time.time() + timeout
        seen = None
        while time.time() < deadline:
            driver.get(url)
            seen = self.status(driver)
            if seen == wanted:
                return
            time.sleep(0.5)
        raise AssertionError(f"{url}: status {seen}, expected {wanted}")

    def set_value(self, driver, name, value):
        element = driver.find_element(By.NAME, name)
        driver.execute_script("arguments[0].value = arguments[1];", element, value)

    def fill(self, driver, name, value):
        element = driver.find_element(By.NAME, name)
        element.clear()
        element.send_keys(value)

    def click_and_wait(self, driver, element):
        """Clicks and waits until a new document has replaced this one and finished loading."""
        driver.execute_script("window.__accordOldPage = true;")
        element.click()

        def loaded(d):
            try:
                return d.execute_script("return window.__accordOldPage !== true && document.readyState === 'complete';")
            except WebDriverException:
                return False  # between documents
        WebDriverWait(driver, 30).until(loaded)

    def submit(self, driver, button_id):
        self.click_and_wait(driver, driver.find_element(By.ID, button_id))

    def open_case(self, driver, base, reference, timeout=45):
        deadline = time.time() + timeout
        while time.time() < deadline:
            driver.get(base + "/console/readmission")
            links = driver.find_elements(By.LINK_TEXT, reference)
            if links:
                self.click_and_wait(driver, links[0])
                return driver.current_url
            time.sleep(0.5)
        raise AssertionError(f"{reference} never reached {base}")

    def no_error(self, driver):
        messages = driver.find_elements(By.ID, "case-message")
        assert not messages, messages[0].text

    def run(self):
        self.start_demo()
        belgium = self.browser()
        morocco = self.browser()
        try:
            self.flow(belgium, morocco)
        except Exception:
            self.shot(belgium, "failure-belgium")
            self.shot(morocco, "failure-morocco")
            raise
        finally:
            belgium.quit()
            morocco.quit()
            self.stop_demo()

    def flow(self, belgium, morocco):
        reference = "BEL-RA-BROWSER-1"
        self.sign_in(belgium, self.belgium, "bel.liaison")
        rows = belgium.find_elements(By.CSS_SELECTOR, "table.readmission tbody tr[data-case]")
        assert len(rows) == 7, f"the demo seeds seven cases, the inbox shows {len(rows)}"
        self.shot(belgium, "belgium-inbox")

        # Belgium composes an application to Morocco.
        belgium.get(self.belgium + "/console/readmission/new")
        Select(belgium.find_element(By.NAME, "agreement")).select_by_value("EU-MAR-2026")
        self.fill(belgium, "reference", reference)
        self.fill(belgium, "given", "Samir")
        self.fill(belgium, "family", "El Idrissi")
        self.set_value(belgium, "dateOfBirth", "1990-05-05")
        self.fill(belgium, "placeOfBirth", "Tétouan")
        self.fill(belgium, "nationality", "MAR")
        self.fill(belgium, "documentNumber", "VX9988776")
        self.fill(belgium, "evidenceDescription", "passport found at apprehension")
        self.set_value(belgium, "apprehensionDate", datetime.date.today().isoformat())
        self.fill(belgium, "apprehensionPlace", "Brussels-Midi")
        self.shot(belgium, "belgium-compose")
        self.submit(belgium, "send-application")
        case_belgium = belgium.current_url
        assert "/console/readmission/" in case_belgium, belgium.find_element(By.TAG_NAME, "main").text[:500]
        self.wait_status(belgium, case_belgium, "pending")
        assert belgium.find_element(By.ID, "clock-state").get_attribute("data-clock") == "running"
        assert belgium.find_elements(By.CSS_SELECTOR, "table.timeline .delivery-delivered"), "the application's receipt is shown"

        # Morocco: the case is in its inbox with its clock; registries; a question.
        self.sign_in(morocco, self.morocco, "mar.officer")
        case_morocco = self.open_case(morocco, self.morocco, reference)
        assert self.status(morocco) == "pending"
        self.submit(morocco, "verify")
        self.no_error(morocco)
        timeline = morocco.find_element(By.CSS_SELECTOR, "table.timeline").text
        assert "identity checked" in timeline, timeline
        morocco.find_element(By.XPATH, "//summary[contains(., 'Request information')]").click()
        self.fill(morocco, "questions", "Name of his secondary school?")
        self.submit(morocco, "request-information")
        self.no_error(morocco)
        assert self.status(morocco) == "information_requested"
        assert morocco.find_element(By.ID, "clock-state").get_attribute("data-clock") == "suspended"
        self.shot(morocco, "morocco-information-request")

        # Belgium answers.
        self.wait_status(belgium, case_belgium, "information_requested")
        self.fill(belgium, "answers", "Lycée Kadi Ayad, Tétouan")
        self.submit(belgium, "answer")
        self.no_error(belgium)

        # Morocco decides; the proposer cannot approve; the supervisor does.
        self.wait_status(morocco, case_morocco, "pending")
        # Nothing is preselected: the officer chooses.
        assert not morocco.find_element(By.CSS_SELECTOR, "input[name=outcome][value=accept]").is_selected()
        morocco.find_element(By.CSS_SELECTOR, "input[name=outcome][value=accept]").click()
        self.submit(morocco, "decide")
        self.no_error(morocco)
        assert "awaiting approval" in morocco.find_element(By.ID, "proposed-decision").text
        assert not morocco.find_elements(By.ID, "approve"), "the proposer must not see Approve"
        self.shot(morocco, "morocco-four-eyes")
        self.sign_out(morocco)
        self.sign_in(morocco, self.morocco, "mar.supervisor")
        morocco.get(case_morocco)
        self.submit(morocco, "approve")
        self.no_error(morocco)
        assert self.status(morocco) == "accepted"
        self.fill(morocco, "number", "LP-BROWSER-001")
        self.set_value(morocco, "validUntil", (datetime.date.today() + datetime.timedelta(days=60)).isoformat())
        self.fill(morocco, "authority", "Consulate General of Morocco, Brussels")
        self.submit(morocco, "issue-document")
        self.no_error(morocco)
        assert self.status(morocco) == "travel_document_issued"

        # Belgium: accepted in time; transfer notified and confirmed.
        self.wait_status(belgium, case_belgium, "travel_document_issued")
        assert belgium.find_element(By.ID, "clock-state").get_attribute("data-clock") == "met"
        departure = (datetime.datetime.utcnow() + datetime.timedelta(days=8)).replace(hour=9, minute=30, second=0, microsecond=0)
        self.fill(belgium, "flight", "SN 3585")
        self.set_value(belgium, "departure", departure.strftime("%Y-%m-%dT%H:%M"))
        self.fill(belgium, "pointOfEntry", "TNG")
        self.fill(belgium, "escort", "Insp. M. Dubois")
        self.submit(belgium, "notify-transfer")
        self.no_error(belgium)
        assert self.status(belgium) == "transfer_notified"
        # The transfer is confirmed after the notified departure, never before it: the page says so
        # instead of offering the button (the desk refuses it anyway: LegalClockTests).
        assert not belgium.find_elements(By.ID, "confirm-transfer"), "no confirmation before the departure"
        assert "after the notified departure" in belgium.find_element(By.ID, "transfer-waiting").text
        assert self.status(belgium) == "transfer_notified"
        self.wait_status(morocco, case_morocco, "transfer_notified")
        # Every message of the case carries its receipt on both sides.
        for driver, url in [(belgium, case_belgium), (morocco, case_morocco)]:
            deadline = time.time() + 30
            while True:
                driver.get(url)
                deliveries = [e.get_attribute("class") for e in driver.find_elements(By.CSS_SELECTOR, "table.timeline .delivery")]
                if deliveries and all("delivery-delivered" in d for d in deliveries):
                    break
                assert time.time() < deadline, f"{url}: deliveries {deliveries}"
                time.sleep(0.5)
        self.shot(belgium, "belgium-transfer-notified")
        self.shot(morocco, "morocco-transfer-notified")

        # Statistics, in French; and the inbox at tablet size.
        belgium.get(self.belgium + "/console/readmission/statistics?lang=fr")
        page = belgium.find_element(By.TAG_NAME, "body").text
        assert "Statistiques par partenaire" in page and "Taux d'acceptation" in page, page[:400]
        assert belgium.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        self.shot(belgium, "belgium-statistics-fr")
        belgium.get(self.belgium + "/console/readmission")
        assert "Dossiers de réadmission" in belgium.find_element(By.TAG_NAME, "h1").text, "the language choice is remembered"
        belgium.set_window_size(820, 1180)
        self.shot(belgium, "belgium-inbox-tablet-fr")

        # Georgia has no node: its officers work on the hub's quick-win module.
        self.sign_out(morocco)
        self.sign_in(morocco, self.georgia, "geo.officer")
        georgia_rows = morocco.find_elements(By.CSS_SELECTOR, "table.readmission tbody tr[data-case]")
        assert len(georgia_rows) == 1, f"Georgia sees only its own case, not {len(georgia_rows)}"
        self.open_case(morocco, self.georgia, f"BEL-RA-{datetime.date.today().year}-0107")
        assert self.status(morocco) == "pending"
        assert morocco.find_element(By.ID, "clock-state").get_attribute("data-clock") == "running"
        assert "quick-win" in morocco.find_element(By.CSS_SELECTOR, "header .node").text
        self.shot(morocco, "georgia-quick-win-case")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accord", required=True)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    flow = Flow(arguments.accord, arguments.out)
    flow.run()
    print(f"browser flow passed; {flow.shots} screenshots in {arguments.out}")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"browser flow failed: {error}", file=sys.stderr)
        sys.exit(1)
