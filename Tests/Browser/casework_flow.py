#!/usr/bin/env python3
"""An asylum case from registration to a signed decision in the officers' console of `accord demo`.

A registry clerk registers an applicant (a second registration of the same person is warned about
as a likely duplicate), opens an asylum case and uploads the application form; the case officer
lodges it (the error summary links to the missing field), triage puts it on a track with its
rule, the officer books the interview room (a clashing booking is refused), schedules the
interview, finishes the tasks, records the interview and proposes a decision; a supervisor approves it and the node signs
it. The signature is then checked with openssl from the API's JSON alone. Screenshots (also at
phone width) are kept.

    casework_flow.py --accord .build/debug/accord --out .build/test-artifacts/casework
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from readmission_flow import Flow  # noqa: E402  (the demo process, browsers, screenshots)


class CaseworkFlow(Flow):
    def sign_in_to(self, driver, user, landing):
        driver.get(self.belgium + "/console/login")
        driver.find_element(By.NAME, "user").send_keys(user)
        driver.find_element(By.NAME, "password").send_keys(self.password)
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form.login button"))
        assert driver.current_url.endswith(landing), f"{user} landed on {driver.current_url}, expected {landing}"

    def body(self, driver):
        return driver.find_element(By.TAG_NAME, "body").text

    def state(self, driver):
        return driver.find_element(By.CSS_SELECTOR, "h1 .status").text

    def take(self, driver, transition):
        form = driver.find_element(By.CSS_SELECTOR, f"form.action input[name=transition][value={transition}]").find_element(By.XPATH, "..")
        self.click_and_wait(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    def run(self):
        self.start_demo()
        driver = self.browser()
        try:
            self.flow(driver)
        except Exception:
            self.shot(driver, "failure")
            print(self.body(driver)[:3000], file=sys.stderr)
            raise
        finally:
            driver.quit()
            self.stop_demo()

    def register(self, driver):
        driver.get(self.belgium + "/console/persons/new")
        self.fill(driver, "family", "Karimi")
        self.fill(driver, "given", "Ahmad")
        Select(driver.find_element(By.NAME, "nativeScript")).select_by_value("Arab")
        self.fill(driver, "nativeFamily", "کریمی")
        self.fill(driver, "nativeGiven", "احمد")
        self.fill(driver, "dateOfBirth", "1987-03-14")
        Select(driver.find_element(By.NAME, "sex")).select_by_value("M")
        self.fill(driver, "nationality", "AFG")
        self.fill(driver, "documentNumber", "P0123456")
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#register button[type=submit]"))

    def flow(self, driver):
        # 1. The registry clerk registers the applicant; a second registration is caught.
        self.sign_in_to(driver, "demo.clerk", "/console/work")
        self.register(driver)
        assert "/console/persons/" in driver.current_url and "KARIMI, Ahmad" in self.body(driver), driver.current_url
        person_url = driver.current_url
        self.register(driver)
        warning = driver.find_element(By.ID, "duplicates").text
        assert "may be registered already" in warning and "same document number P0123456" in warning and "same family name" in warning, warning
        assert driver.find_element(By.NAME, "family").get_attribute("value") == "Karimi", "the input is kept"
        self.shot(driver, "duplicate-warning")
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#duplicates a"))
        assert driver.current_url == person_url

        # 2. The clerk opens an asylum case for a.martin and uploads the application form.
        Select(driver.find_element(By.ID, "open-type")).select_by_value("asylum")
        self.fill(driver, "office", "HQ-ASYLUM")
        self.fill(driver, "assignedOfficer", "a.martin")
        self.fill(driver, "title", "Application for international protection")
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#open-case button"))
        case_url = driver.current_url
        number = case_url.rsplit("/", 1)[1]
        assert re.match(r"ASY-\d{4}-\d{6}-\d", number), case_url
        assert self.state(driver) == "Registered"
        pdf = os.path.join(self.out, "application.pdf")
        with open(pdf, "wb") as handle:
            handle.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        Select(driver.find_element(By.ID, "document-kind")).select_by_value("application")
        driver.find_element(By.ID, "document-file").send_keys(pdf)
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form[enctype] button"))
        assert "application.pdf" in self.body(driver), "uploaded"
        self.shot(driver, "case-registered")
        self.sign_out(driver)

        # 3. The case officer lodges it; forgetting the claim type is explained and linked.
        self.sign_in_to(driver, "a.martin", "/console/work")
        driver.get(case_url)
        self.take(driver, "lodge")
        summary = driver.find_element(By.ID, "error-summary")
        assert "Claim type" in summary.text, summary.text
        link = summary.find_element(By.CSS_SELECTOR, "a").get_attribute("href")
        assert link.endswith("#lodge-claimType"), link
        self.shot(driver, "lodge-error-summary")
        Select(driver.find_element(By.ID, "lodge-claimType")).select_by_value("first_application")
        self.take(driver, "lodge")
        assert self.state(driver) == "Under examination", self.state(driver)
        tasks = driver.find_element(By.ID, "tasks").text
        assert "Schedule the personal interview" in tasks and "Check identity documents" in tasks, tasks
        # Triage put the case on its track, saying which rule and why.
        track = driver.find_element(By.ID, "triage-track").text
        rule = driver.find_element(By.ID, "triage-rule").text
        assert track == "prioritised" and "high recognition rate" in rule, (track, rule)
        assert "nationality AFG is one of" in driver.find_element(By.CSS_SELECTOR, "ol.history").text
        self.shot(driver, "triage")

        # 4. The interview: an appointment in a room, a clash refused, then the step recorded.
        self.set_value(driver, "date", "2030-01-15")
        self.set_value(driver, "time", "09:00")
        self.fill(driver, "room", "HQ/2.14")
        self.click_and_wait(driver, driver.find_element(By.ID, "schedule-appointment"))
        appointments = driver.find_element(By.ID, "appointments").text
        assert "Interview" in appointments and "HQ/2.14" in appointments and "2030-01-15 09:00" in appointments, appointments
        self.set_value(driver, "date", "2030-01-15")
        self.set_value(driver, "time", "09:30")
        self.fill(driver, "room", "HQ/2.14")
        self.click_and_wait(driver, driver.find_element(By.ID, "schedule-appointment"))
        clash = driver.find_element(By.ID, "error-summary").text
        assert "room HQ/2.14 is taken" in clash, clash
        self.shot(driver, "appointment-clash")
        driver.get(case_url)
        self.set_value(driver, "field.interviewDate", "2030-01-15")
        self.take(driver, "schedule_interview")
        assert self.state(driver) == "Interview scheduled"
        unmet = driver.find_element(By.CSS_SELECTOR, "form.action.blocked ul.unmet").text
        assert "open task" in unmet, unmet
        while True:
            buttons = driver.find_elements(By.CSS_SELECTOR, "#tasks button[value=complete]")
            if not buttons:
                break
            self.click_and_wait(driver, buttons[0])
        self.take(driver, "record_interview")
        assert self.state(driver) == "Assessment after interview"

        # 5. A decision proposed; a refusal without grounds is refused.
        Select(driver.find_element(By.ID, "decision-outcome")).select_by_value("rejected_unfounded")
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#decision form button"))
        assert "must state its grounds" in driver.find_element(By.ID, "error-summary").text
        Select(driver.find_element(By.ID, "decision-outcome")).select_by_value("subsidiary_protection")
        self.fill(driver, "grounds", "Real risk of serious harm on return (indiscriminate violence).")
        self.fill(driver, "legalBasis", "Art. 15(c) Directive 2011/95/EU")
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#decision form button"))
        assert self.state(driver) == "Decision awaiting approval", self.state(driver)
        assert not driver.find_elements(By.CSS_SELECTOR, "#decision button[value=approve]"), "the proposer cannot approve"
        self.shot(driver, "decision-proposed")
        self.sign_out(driver)

        # 6. The supervisor approves; the node signs.
        self.sign_in_to(driver, "demo.supervisor", "/console/work")
        driver.get(case_url)
        self.click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "#decision button[value=approve]"))
        assert self.state(driver) == "Decided — appeal window open", self.state(driver)
        decision = driver.find_element(By.ID, "decision").text
        assert "signature verifies" in decision and "Subsidiary protection granted" in decision, decision
        self.shot(driver, "decision-signed")
        driver.set_window_size(390, 844)
        driver.get(case_url)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        wide = driver.execute_script("""
            return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right));""")
        assert width <= 400, f"the case page scrolls sideways at phone width ({width}px): {wide}"
        self.shot(driver, "case-phone")
        driver.set_window_size(1366, 900)
        self.sign_out(driver)

        # 7. Independently of Accord's code: the record rebuilt from the JSON, checked by openssl.
        def get(path):
            request = urllib.request.Request(self.belgium + path, headers={"Authorization": f"Bearer {self.token()}"})
            return urllib.request.urlopen(request).read()
        decisions = json.loads(get(f"/api/v1/cases/{number}/decisions"))["decisions"]
        approved = decisions[-1]
        assert approved["state"] == "approved" and approved["approvedBy"] == "demo.supervisor" and approved["proposedBy"] == "a.martin"
        key = get("/api/v1/decision-key")
        work = tempfile.mkdtemp(prefix="accord-decision-")
        with open(os.path.join(work, "key.pem"), "wb") as handle:
            handle.write(key)
        with open(os.path.join(work, "record.txt"), "wb") as handle:
            handle.write(record(approved).encode())
        with open(os.path.join(work, "signature.der"), "wb") as handle:
            handle.write(base64.b64decode(approved["signature"]))
        check = subprocess.run(["openssl", "dgst", "-sha256", "-verify", "key.pem", "-signature", "signature.der", "record.txt"],
                               cwd=work, capture_output=True, text=True)
        assert check.returncode == 0 and "Verified OK" in check.stdout, check.stdout + check.stderr
        # And with Accord's own offline checker, which refuses a tampered copy.
        with open(os.path.join(work, "decisions.json"), "w") as handle:
            json.dump({"decisions": decisions}, handle)
        verify = subprocess.run([self.accord, "decision", "verify", "decisions.json", "--key", "key.pem"], cwd=work, capture_output=True, text=True)
        assert verify.returncode == 0 and "signature verifies" in verify.stdout, verify.stdout + verify.stderr
        approved["outcome"] = "refugee_status"
        with open(os.path.join(work, "tampered.json"), "w") as handle:
            json.dump(approved, handle)
        tampered = subprocess.run([self.accord, "decision", "verify", "tampered.json", "--key", "key.pem"], cwd=work, capture_output=True, text=True)
        assert tampered.returncode == 1 and "DOES NOT VERIFY" in tampered.stdout, tampered.stdout + tampered.stderr
        print(f"{number}: decision signed by the node and verified by openssl")

    def token(self):
        return re.search(r"Bearer (\S+?)'", self.demo_output).group(1)


def milliseconds(text):
    """Milliseconds since 1970 of `2026-03-02T09:30:00.000Z`."""
    import datetime
    whole, fraction = text.rstrip("Z").split(".")
    moment = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp()) * 1000 + int(fraction)


def escape(text):
    return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def record(decision):
    """The signed record as Docs/Operations.md describes it."""
    lines = [
        "accord-decision-v1",
        f"decision={decision['id']}",
        f"case={decision['caseNumber']}",
        f"workflow={case_type(decision['caseNumber'])}@{decision['workflowVersion']}",
        f"outcome={decision['outcome']}",
        f"grounds={escape(decision.get('grounds', ''))}",
        f"legal_basis={escape(decision.get('legalBasis', ''))}",
        f"proposed_by={decision['proposedBy']}",
        f"proposed_at_ms={milliseconds(decision['proposedAt'])}",
        f"approved_by={decision.get('approvedBy', '')}",
        f"approved_at_ms={milliseconds(decision['approvedAt']) if 'approvedAt' in decision else ''}",
    ]
    return "".join(line + "\n" for line in lines)


def case_type(number):
    return {"VIS": "visa", "ASY": "asylum", "RES": "residence_permit", "RET": "return", "APL": "appeal", "RDM": "readmission"}[number[:3]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accord", required=True)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    CaseworkFlow(arguments.accord, arguments.out).run()


if __name__ == "__main__":
    main()
