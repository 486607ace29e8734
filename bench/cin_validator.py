"""Time Casefile's CIN census validator against the community validator (csc-validator-be-cin 0.1.13), side by
side in the same run, and write the figures to bench/results.md.

    .venv/bin/python bench/cin_validator.py                     # ours at 1,000, 10,000, 50,000; theirs at 1,000,
                                                                #   5,000, 20,000 (about 2 minutes for theirs)
    .venv/bin/python bench/cin_validator.py --ours 1000 --theirs ""   # a quick look, ours only
    make bench-cin

The census files are generated here (fixed seed), from casefile/rules/cin/tests/builder.py's clean child varied
per child: one to three referrals (earlier ones closed), assessments with factors, CIN plans, section 47
enquiries with an initial conference, child protection plans with reviews, disabilities, a few children unborn
or dead, and a few planted mistakes (a missing primary need code, a plan ending before it starts), so the rules
find things as they would in a real return. Each measurement runs in a subprocess of its own: ours is parse()
then the 2025-26 pack's validate() (and, separately, writing the same census as XML: the export's last step);
theirs is `python -m cin_validator run FILE -r cin2025_26`. Wall time, CPU time (user + system) and peak
resident memory come from the subprocess's own resource usage (os.wait4), so they are each process's own.
The community validator is found as the parity tests find it: CASEFILE_CIN_ORACLE_VENV, else .venv-cin-oracle
(scripts/cin-oracle builds it).

Target (issue 11): export and validate 50,000 children in under 15 s and under 1 GB; time linear in children.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

sys.path.insert(0, str(_common.ROOT))

from casefile.rules.cin.tests.builder import census, clean_child  # noqa: E402
from casefile.rules.cin.tests.oracle import oracle_python  # noqa: E402

YEAR = "2025-26"
TARGET_SECONDS, TARGET_MB = 15, 1024
FACTORS = ["1B", "2B", "3A", "4A", "5A", "6A", "21"]


def _day(rng: random.Random, start: datetime.date, spread: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(spread))


def _episode(rng: random.Random, referral: datetime.date, closed: bool) -> dict:
    iso = datetime.date.isoformat
    assessment_start = referral + datetime.timedelta(days=rng.randrange(0, 5))
    authorised = assessment_start + datetime.timedelta(days=rng.randrange(10, 45))
    episode = {
        "CINreferralDate": iso(referral), "ReferralSource": rng.choice(["1A", "2A", "3A", "5A", "6", "9"]),
        "PrimaryNeedCode": rng.choice(["N1", "N2", "N3", "N4", "N5"]), "ReferralNFA": "false",
        "Assessments": [{"AssessmentActualStartDate": iso(assessment_start),
                         "AssessmentAuthorisationDate": iso(authorised),
                         "AssessmentFactors": rng.sample(FACTORS, rng.randint(1, 3))}],
        "CINPlanDates": [], "Section47": [], "ChildProtectionPlans": [],
    }
    plan_start = authorised + datetime.timedelta(days=1)
    if rng.random() < 0.3:  # a section 47 enquiry, an initial conference and a child protection plan with reviews
        s47 = assessment_start + datetime.timedelta(days=1)
        conference = s47 + datetime.timedelta(days=rng.randrange(5, 15))
        episode["Section47"] = [{"S47ActualStartDate": iso(s47), "InitialCPCtarget": iso(s47 + datetime.timedelta(
            days=15)), "DateOfInitialCPC": iso(conference), "ICPCnotRequired": "false"}]
        episode["DateOfInitialCPC"] = iso(conference)
        reviews = [conference + datetime.timedelta(days=90), conference + datetime.timedelta(days=270)]
        episode["ChildProtectionPlans"] = [{
            "CPPstartDate": iso(conference), "InitialCategoryOfAbuse": rng.choice(["NEG", "EMO", "PHY", "SAB"]),
            "LatestCategoryOfAbuse": rng.choice(["NEG", "EMO", "PHY", "SAB"]), "NumberOfPreviousCPP": "0",
            "Reviews": [iso(day) for day in reviews if day <= datetime.date(2026, 3, 31)]}]
    else:
        episode["CINPlanDates"] = [{"CINPlanStartDate": iso(plan_start)}]
    if closed:
        end = plan_start + datetime.timedelta(days=rng.randrange(30, 120))
        episode["CINclosureDate"] = iso(end)
        episode["ReasonForClosure"] = rng.choice(["RC1", "RC2", "RC4", "RC7"])
        for plan in episode["CINPlanDates"]:
            plan["CINPlanEndDate"] = iso(end)
        for plan in episode["ChildProtectionPlans"]:
            plan["CPPendDate"] = iso(end)
    return episode


def child(number: int, rng: random.Random) -> dict:
    built = clean_child(f"B{number:07d}")
    iso = datetime.date.isoformat
    built["PersonBirthDate"] = iso(_day(rng, datetime.date(2008, 4, 1), 17 * 365))
    built["Sex"] = rng.choice(["M", "F"])
    built["Ethnicity"] = rng.choice(["WBRI", "WIRI", "MWBC", "AIND", "BAFR", "CHNE", "OOTH"])
    built["Disabilities"] = rng.choice([["NONE"], ["NONE"], ["NONE"], ["AUT"], ["LD", "COMM"]])
    episodes = rng.choice([1, 1, 1, 2, 3])
    first = _day(rng, datetime.date(2025, 4, 1), 200)
    built["CINdetails"] = []
    referral = first
    for index in range(episodes):
        closed = index < episodes - 1 or rng.random() < 0.4
        episode = _episode(rng, referral, closed)
        built["CINdetails"].append(episode)
        referral = datetime.date.fromisoformat(episode.get("CINclosureDate") or iso(referral)) + datetime.timedelta(
            days=rng.randrange(1, 30))
        if referral > datetime.date(2026, 3, 1):
            break
    if rng.random() < 0.01:  # a planted mistake or two, as real returns have
        built["CINdetails"][0]["PrimaryNeedCode"] = None
    if rng.random() < 0.01 and built["CINdetails"][0]["CINPlanDates"]:
        built["CINdetails"][0]["CINPlanDates"][0]["CINPlanEndDate"] = "2025-04-01"
    return built


def census_file(children: int, folder: Path) -> Path:
    from casefile.rules.cin.write import write

    path = folder / f"census-{children}.xml"
    if not path.exists():
        rng = random.Random(children)
        path.write_bytes(write(census([child(number, rng) for number in range(children)])))
    return path


# Measuring, each in a process of its own ------------------------------------------------------------------


def _measured(command: list[str], cwd: Path | None = None) -> dict:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    out = process.stdout.read().decode()
    if status:
        raise RuntimeError(f"{command[:4]} failed: {process.stderr.read().decode()[-2000:]}")
    process.returncode = 0
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024, "out": out}


def ours(path: Path) -> dict:
    result = _measured([sys.executable, __file__, "--inner", str(path)])
    result.update(json.loads(result.pop("out").strip().splitlines()[-1]))
    return result


def theirs(path: Path, python: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        result = _measured([str(python), "-m", "cin_validator", "run", str(path), "-r", "cin2025_26"], cwd=Path(folder))
    result.pop("out")
    return result


def inner(path: str) -> None:
    """In the measured subprocess: parse and validate, timing each step; then write the census back as XML."""
    from casefile.rules.cin.packs import pack
    from casefile.rules.cin.parse import parse
    from casefile.rules.cin.write import write

    started = time.perf_counter()
    read = parse(path)
    parsed = time.perf_counter()
    issues = pack(YEAR).validate(read)
    validated = time.perf_counter()
    write(read)
    written = time.perf_counter()
    print(json.dumps({"parse": parsed - started, "validate": validated - parsed, "write": written - validated,
                      "issues": len(issues), "children": len(read.children), "rules": len(pack(YEAR).rules)}))


# Reporting ------------------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size.strip()]


def report(our_runs: dict[int, dict], their_runs: dict[int, dict], files: dict[int, Path], load: str) -> str:
    rules = next(iter(our_runs.values()))["rules"] if our_runs else 0
    lines = [
        "## CIN census validator: Casefile's against the community validator",
        "",
        f"Casefile's 2025-26 pack ran **{rules} of the 109 rules** in this run (the rest are still being written; "
        "re-run `make bench-cin` once they are merged). Each figure is one run in a process of its own: wall time, "
        "CPU time (user + system) and peak resident memory of that process. Ours is parse + validate (the write "
        "column is writing the same census back as XML, the export's last step); theirs is `python -m "
        "cin_validator run FILE -r cin2025_26` (csc-validator-be-cin 0.1.13).",
        "",
        "| Children | File | Ours: parse | validate | process wall | CPU | peak memory | issues | write XML "
        "| Theirs: wall | CPU | peak memory | Theirs ÷ ours (wall) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size in sorted(set(our_runs) | set(their_runs)):
        mine, other = our_runs.get(size), their_runs.get(size)
        megabytes = files[size].stat().st_size / 1024 ** 2
        ours_cells = (f"{mine['parse']:.2f} s | {mine['validate']:.2f} s | **{mine['wall']:.2f} s** | "
                      f"{mine['cpu']:.2f} s | {mine['rss_mb']:.0f} MB | {mine['issues']:,} | {mine['write']:.2f} s"
                      if mine else "– | – | – | – | – | – | –")
        theirs_cells = (f"{other['wall']:.1f} s | {other['cpu']:.1f} s | {other['rss_mb']:.0f} MB"
                        if other else "– | – | –")
        ratio = f"×{other['wall'] / mine['wall']:.0f}" if mine and other else "–"
        lines.append(f"| {size:,} | {megabytes:.1f} MB | {ours_cells} | {theirs_cells} | {ratio} |")
    lines.append("")
    lines += _growth("Ours (CPU per 1,000 children)", {size: run["cpu"] for size, run in our_runs.items()})
    lines += _growth("Theirs (CPU per 1,000 children)", {size: run["cpu"] for size, run in their_runs.items()})
    biggest = max(our_runs) if our_runs else None
    if biggest:
        mine = our_runs[biggest]
        within = mine["wall"] + mine["write"] < TARGET_SECONDS and mine["rss_mb"] < TARGET_MB
        lines += ["", f"At {biggest:,} children, parse + validate + write took {mine['wall'] + mine['write']:.1f} s "
                      f"wall in {mine['rss_mb']:.0f} MB: {'within' if within else 'OUTSIDE'} the target of "
                      f"{TARGET_SECONDS} s and 1 GB for export and validation (the export's reading of the record is "
                      "timed by its own benchmark)."]
    lines += ["", f"Environment: {_common.environment()} (this script's own start: {load}). Under load, compare "
                  "CPU times: wall times include waiting for a core."]
    return "\n".join(lines)


def _growth(label: str, cpu: dict[int, float]) -> list[str]:
    if len(cpu) < 2:
        return []
    sizes = sorted(cpu)
    per = [f"{cpu[size] / size * 1000:.3f} s at {size:,}" for size in sizes]
    ratio = (cpu[sizes[-1]] / sizes[-1]) / (cpu[sizes[0]] / sizes[0])
    return [f"- {label}: {', '.join(per)}; the largest costs ×{ratio:.2f} per child what the smallest does "
            "(1.0 is linear)."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ours", default="1000,10000,50000", help="sizes for Casefile's validator")
    parser.add_argument("--theirs", default="1000,5000,20000", help="sizes for the community validator ('' for none)")
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "casefile-bench" / "cin"))
    parser.add_argument("--no-write", action="store_true", help="print the figures without changing results.md")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.inner:
        inner(arguments.inner)
        return
    folder = Path(arguments.folder)
    folder.mkdir(parents=True, exist_ok=True)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    our_sizes, their_sizes = _sizes(arguments.ours), _sizes(arguments.theirs)
    files = {size: census_file(size, folder) for size in sorted(set(our_sizes) | set(their_sizes))}
    our_runs = {}
    for size in our_sizes:
        our_runs[size] = ours(files[size])
        print(f"ours   {size:>6,}: {our_runs[size]}", flush=True)
    their_runs = {}
    python = oracle_python()
    if their_sizes and python is None:
        print("The community validator is not built (scripts/cin-oracle): timing ours only.")
    for size in their_sizes if python else ():
        their_runs[size] = theirs(files[size], python)
        print(f"theirs {size:>6,}: {their_runs[size]}", flush=True)
    text = report(our_runs, their_runs, files, load)
    print(text)
    if not arguments.no_write:
        _common.write_section("cin_validator", text)


if __name__ == "__main__":
    main()
