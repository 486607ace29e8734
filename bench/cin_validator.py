"""Time Casefile's CIN census export and validation, and its validator against the community validator
(csc-validator-be-cin 0.1.13) side by side in the same run; write the figures to bench/results.md.

    .venv/bin/python bench/cin_validator.py       # everything below: about 30 minutes, nearly all of it the
                                                  #   community validator at 20,000 children
    .venv/bin/python bench/cin_validator.py --export 1000 --compare "" --upload ""   # a quick look
    make bench-cin

Three measurements, each run in a process of its own under `/usr/bin/time -v`, whose figures (wall clock, user +
system CPU, maximum resident set size) anyone can reproduce with the same public tool:

1. Export and validate from the record (at 1,000, 10,000 and 50,000 children), as the export job does it
   (`returns.census.export_and_validate`): read the record, build the return, write the XML, then check the file
   against the year's XSD while the 2025-26 rules run on the return. The record is a simulated authority's year
   on a SQLite file of its own (`simulate` with about 1.27 referrals per child on the return), built once and
   kept between runs; each step is timed inside the process.
2. Validate a file, ours against theirs (at 5,000 and 20,000 children): the same work on both sides, read the
   file and run every rule: ours is parse() + validate(), theirs `python -m cin_validator run FILE -r cin2025_26`.
3. Validate an uploaded file, ours alone (at 50,000 children): what the validator's page does with a file.

The census files for 2 and 3 are generated here (fixed seed), from casefile/rules/cin/tests/builder.py's clean
child varied per child: one to three referrals (earlier ones closed), assessments with factors, CIN plans, section
47 enquiries with an initial conference, child protection plans with reviews, disabilities, a few children unborn
or dead, and a few planted mistakes (a missing primary need code, a plan ending before it starts), so the rules
find things as they would in a real return. The community validator is found as the parity tests find it:
CASEFILE_CIN_ORACLE_VENV, else .venv-cin-oracle (scripts/cin-oracle builds it).

Target (issue 11): export and validate 50,000 children in under 15 s and under 1 GB; time linear in children.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
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

TIME = "/usr/bin/time"
_TIME_FIGURES = {
    "user": r"User time \(seconds\): ([\d.]+)",
    "system": r"System time \(seconds\): ([\d.]+)",
    "clock": r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)",
    "rss_kb": r"Maximum resident set size \(kbytes\): (\d+)",
}


def _seconds(clock: str) -> float:
    total = 0.0
    for part in clock.split(":"):
        total = total * 60 + float(part)
    return total


def _measured(command: list[str], cwd: Path | None = None) -> dict:
    """Run `command` under `/usr/bin/time -v`: its wall, CPU (user + system) and peak memory, and its output."""
    load = os.getloadavg()[0]
    done = subprocess.run([TIME, "-v", *command], cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"{command[:4]} failed: {done.stderr[-2000:]}")
    found = {name: re.search(pattern, done.stderr) for name, pattern in _TIME_FIGURES.items()}
    if not all(found.values()):
        raise RuntimeError(f"{TIME} -v gave no figures: {done.stderr[-1000:]}")
    figures = {name: match.group(1) for name, match in found.items()}
    return {"wall": _seconds(figures["clock"]), "cpu": float(figures["user"]) + float(figures["system"]),
            "rss_mb": int(figures["rss_kb"]) / 1024, "load": load, "out": done.stdout}


def _inner(*arguments: str) -> dict:
    result = _measured([sys.executable, __file__, *arguments])
    result.update(json.loads(result.pop("out").strip().splitlines()[-1]))
    return result


def theirs(path: Path, python: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        result = _measured([str(python), "-m", "cin_validator", "run", str(path), "-r", "cin2025_26"], cwd=Path(folder))
    result.pop("out")
    return result


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(started: tuple[float, float]) -> dict:
    return {"wall": time.perf_counter() - started[0], "cpu": time.process_time() - started[1]}


def inner_export(database: str) -> None:
    """In the measured process: export and validate the census year from the record, as the export job does."""
    _common.setup_django(Path(database), fresh=False)
    from casefile.returns.census import export_and_validate, schema

    schema(YEAR)  # loaded once per process in the app too
    marks = []
    started = _clock()
    made = export_and_validate(YEAR, now=datetime.datetime(2026, 4, 1, 9, 0),
                               progress=lambda done, total, stage: marks.append((done, _clock())))
    finished = _clock()
    times = dict(marks)  # the step number each stage starts at: 0 reading, 1 building, 2 writing, 3 checking
    names = ("read the record", "build the return", "write", "XSD check and rules")
    bounds = [times[0], times[1], times[2], times[3], finished]
    steps = {name: {"wall": bounds[i + 1][0] - bounds[i][0], "cpu": bounds[i + 1][1] - bounds[i][1]}
             for i, name in enumerate(names)}
    steps["total"] = {"wall": finished[0] - started[0], "cpu": finished[1] - started[1]}
    print(json.dumps({"steps": steps, "issues": len(made.issues), "children": len(made.census.children),
                      "megabytes": len(made.xml) / 1024 ** 2}))


def inner_validate(path: str) -> None:
    """In the measured process: what the community validator's run does, read the file and run every rule."""
    from casefile.rules.cin.packs import pack
    from casefile.rules.cin.parse import parse

    read = parse(path)
    issues = pack(YEAR).validate(read)
    print(json.dumps({"issues": len(issues), "children": len(read.children)}))


# About 1.27 referrals in a simulated year for each child on its return (re-referrals, children with several).
REFERRALS_PER_CHILD = 1.273


def simulated_database(folder: Path, children: int) -> Path:
    """A simulated authority's year sized for about `children` on its return (built once: up to a minute and a
    half at 50,000), in a process of its own."""
    path = folder / f"cin-census-{children}.sqlite3"
    if not path.exists():
        print(f"Simulating an authority into {path} (once) ...", flush=True)
        subprocess.run([sys.executable, __file__, "--simulate", str(path), "--children", str(children)],  # noqa: S603
                       check=True)
    return path


def simulate(path: str, children: int) -> None:
    _common.setup_django(Path(path), fresh=True)
    from django.utils import timezone

    from casefile.demo.simulate import simulate as simulate_authority

    simulate_authority(size="large", seed=1, end_date=datetime.date.fromisoformat(_common.END_DATE), years=1,
                       referrals_per_year=round(children * REFERRALS_PER_CHILD),
                       now=timezone.make_aware(datetime.datetime(2026, 4, 1, 9, 0)))


# Reporting ------------------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size.strip()]


def _per_thousand(seconds: float, children: int) -> str:
    return f"{seconds / children * 1000:.3f}"


def _machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) // 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({model}), {memory} GB memory, Python {platform.python_version()}, " \
           f"{platform.system()} {platform.machine()}"


def report(exports: dict[int, dict], compared: dict[int, tuple[dict, dict | None]], uploads: dict[int, dict],
           files: dict[int, Path]) -> str:
    lines = ["## CIN census: export and validate, and ours against the community validator", "",
             "Each figure is **one run** (not a median) of a process of its own, measured by `/usr/bin/time -v`: "
             "wall clock, CPU (user + system) and maximum resident set size. The machine is shared with other jobs, "
             "so each row gives the 1-minute load average just before it ran; with a load above the 2 cores, wall "
             "time includes waiting for a core.", ""]
    if exports:
        lines += _export_table(exports)
    if compared:
        lines += ["", "### Validating a file: ours against the community validator, same run, same files", "",
                  "The same work on both sides: read the file and run every rule. Ours: parse() + the 2025-26 pack's "
                  "validate(); theirs: `python -m cin_validator run FILE -r cin2025_26` (csc-validator-be-cin "
                  "0.1.13). Whole processes, interpreter start included.", "",
                  "| Children | Ours: load | wall | CPU | peak memory | issues | Theirs: load | wall | CPU "
                  "| peak memory | Ours ÷ theirs (wall) | (CPU) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for size, (mine, other) in sorted(compared.items()):
            ours_cells = (f"{mine['load']:.1f} | {mine['wall']:.2f} s | {mine['cpu']:.2f} s | {mine['rss_mb']:.0f} MB "
                          f"| {mine['issues']:,}")
            if other:
                theirs_cells = (f"{other['load']:.1f} | {other['wall']:.1f} s | {other['cpu']:.1f} s | "
                                f"{other['rss_mb']:.0f} MB | {mine['wall'] / other['wall']:.3f} | "
                                f"{mine['cpu'] / other['cpu']:.3f}")
            else:
                theirs_cells = "– | – | – | – | – | –"
            lines.append(f"| {size:,} | {ours_cells} | {theirs_cells} |")
    if uploads:
        lines += ["", "### Validating an uploaded file (ours)", "",
                  "Read the file and run every rule, as the validator's page does with an upload; whole process.", "",
                  "| Children | Load | Wall | CPU | Peak memory | Issues |", "|---|---|---|---|---|---|"]
        lines += [f"| {size:,} | {run['load']:.1f} | {run['wall']:.2f} s | {run['cpu']:.2f} s | {run['rss_mb']:.0f} MB "
                  f"| {run['issues']:,} |" for size, run in sorted(uploads.items())]
    lines += _verdict(exports)
    lines += ["", f"Machine: {_machine()}; run on {datetime.date.today().isoformat()}."
              + (" Generated census files: " + ", ".join(f"{size:,} children {path.stat().st_size / 1024 ** 2:.1f} MB"
                                                        for size, path in sorted(files.items())) + "."
                 if files else "")]
    return "\n".join(lines)


def _export_table(exports: dict[int, dict]) -> list[str]:
    names = ("read the record", "build the return", "write", "XSD check and rules")
    lines = ["### Export and validate from the record (ours)", "",
             "`returns.census.export_and_validate(\"2025-26\")`, as the export job runs it, on a simulated authority's "
             "year (SQLite). Steps timed inside the process, wall with CPU in brackets: read the record (the queries), "
             "build the return, write the XML, then the XSD check (in a thread: lxml lets go of Python's lock) while "
             "the 2025-26 pack's 109 rules run on the return. The process also starts Python and Django.", "",
             "| Children | File | Load | " + " | ".join(names) + " | **Export and validate** | Process wall "
             "| Process CPU | Peak memory | Issues |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for _, run in sorted(exports.items()):
        steps = run["steps"]
        cells = " | ".join(f"{steps[name]['wall']:.2f} s ({steps[name]['cpu']:.2f})" for name in names)
        total = steps["total"]
        lines.append(f"| {run['children']:,} | {run['megabytes']:.1f} MB | {run['load']:.1f} | {cells} | "
                     f"**{total['wall']:.2f} s ({total['cpu']:.2f})** | {run['wall']:.2f} s | {run['cpu']:.2f} s | "
                     f"{run['rss_mb']:.0f} MB | {run['issues']:,} |")
    lines += ["", "Seconds per 1,000 children on the return (linear time keeps these level as the return grows):", "",
              "| Children | Export and validate, wall | CPU |", "|---|---|---|"]
    for _, run in sorted(exports.items()):
        total = run["steps"]["total"]
        lines.append(f"| {run['children']:,} | {_per_thousand(total['wall'], run['children'])} s | "
                     f"{_per_thousand(total['cpu'], run['children'])} s |")
    return lines


def _verdict(exports: dict[int, dict]) -> list[str]:
    if not exports:
        return []
    run = exports[max(exports)]
    total = run["steps"]["total"]
    verdict = {True: "within", False: "OUTSIDE"}
    return ["", "### Against the target", "",
            f"For {run['children']:,} children, export and validate took {total['wall']:.1f} s wall "
            f"({total['cpu']:.1f} s CPU); the whole process, Python and Django start-up included, {run['wall']:.1f} s "
            f"wall in {run['rss_mb']:.0f} MB at most. Against the target of {TARGET_SECONDS} s and 1 GB: time is "
            f"{verdict[total['wall'] < TARGET_SECONDS]} it (the whole process {verdict[run['wall'] < TARGET_SECONDS]} "
            f"it) and memory {verdict[run['rss_mb'] < TARGET_MB]} it (load {run['load']:.1f} on {os.cpu_count()} "
            "cores when it started)."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", default="1000,10000,50000",
                        help="children on the return, for export and validate from the record (ours)")
    parser.add_argument("--compare", default="5000,20000", help="sizes for ours against theirs ('' for none)")
    parser.add_argument("--upload", default="50000", help="sizes for validating an uploaded file, ours alone")
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "casefile-bench"),
                        help="where the simulated authorities and generated files are kept between runs")
    parser.add_argument("--no-write", action="store_true", help="print the figures without changing results.md")
    for hidden in ("--inner-export", "--inner-validate", "--simulate"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--children", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.simulate:
        simulate(arguments.simulate, arguments.children)
        return
    for name, run in (("inner_export", inner_export), ("inner_validate", inner_validate)):
        if getattr(arguments, name):
            run(getattr(arguments, name))
            return
    folder = Path(arguments.folder)
    (folder / "cin").mkdir(parents=True, exist_ok=True)
    export_sizes, compare_sizes, upload_sizes = (_sizes(arguments.export), _sizes(arguments.compare),
                                                 _sizes(arguments.upload))
    files = {size: census_file(size, folder / "cin") for size in sorted(set(compare_sizes) | set(upload_sizes))}
    python = oracle_python()
    if compare_sizes and python is None:
        print("The community validator is not built (scripts/cin-oracle): timing ours only.")
    compared = {}
    for size in compare_sizes:
        mine = _inner("--inner-validate", str(files[size]))
        print(f"ours   validate {size:>6,}: {mine}", flush=True)
        other = theirs(files[size], python) if python else None
        print(f"theirs validate {size:>6,}: {other}", flush=True)
        compared[size] = (mine, other)
    uploads = {}
    for size in upload_sizes:
        uploads[size] = _inner("--inner-validate", str(files[size]))
        print(f"ours   validate upload {size:>6,}: {uploads[size]}", flush=True)
    exports = {}
    for size in export_sizes:
        exports[size] = _inner("--inner-export", str(simulated_database(folder, size)))
        print(f"ours   export+validate {size:>6,}: {exports[size]}", flush=True)
    text = report(exports, compared, uploads, files)
    print(text)
    if not arguments.no_write:
        _common.write_section("cin_validator", text)


if __name__ == "__main__":
    main()
