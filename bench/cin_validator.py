"""Time Casefile's CIN census export and validation, and its validator against the community validator
(csc-validator-be-cin 0.1.13) side by side in the same run; write the figures to bench/results.md.

    .venv/bin/python bench/cin_validator.py       # everything below: about 25 minutes, nearly all of it the
                                                  #   community validator at 20,000 children
    .venv/bin/python bench/cin_validator.py --export 1000 --compare "" --database ""   # a quick look
    make bench-cin

Three measurements, each run in a process of its own under `/usr/bin/time -v`, whose figures (wall clock, user +
system CPU, maximum resident set size) anyone can reproduce with the same public tool:

1. Export and validate (ours, at 1,000, 10,000 and 50,000 children): write the census as XML, check the file
   against the year's XSD (the export's last two steps), then parse the file and run the 2025-26 pack, as the
   validation job does. Each step is timed inside the process; the census written is read from the generated
   file before the clock starts, standing in for the one the database gives (measurement 3 times that part).
2. Validate a file, ours against theirs (at 5,000 and 20,000 children): the same work on both sides, read the
   file and run every rule: ours is parse() + validate(), theirs `python -m cin_validator run FILE -r cin2025_26`.
3. Reading the record (`census_for_year` on a simulated authority: `simulate_la --size large --years 1` on a
   SQLite file of its own, built once and kept between runs), for its seconds per 1,000 children.

The census files are generated here (fixed seed), from casefile/rules/cin/tests/builder.py's clean child varied
per child: one to three referrals (earlier ones closed), assessments with factors, CIN plans, section 47
enquiries with an initial conference, child protection plans with reviews, disabilities, a few children unborn
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


def _setup_django() -> None:
    # Only for the XSD check's module (casefile.returns.census imports models); no database is opened.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(started: tuple[float, float]) -> dict:
    return {"wall": time.perf_counter() - started[0], "cpu": time.process_time() - started[1]}


def inner_export(path: str) -> None:
    """In the measured process: export (write + XSD check) and validate (parse + rules) one census."""
    _setup_django()
    from casefile.returns.census import check_against_schema, schema
    from casefile.rules.cin.packs import pack
    from casefile.rules.cin.parse import parse
    from casefile.rules.cin.write import write

    schema(YEAR)  # loaded once per process in the app too
    census = parse(path)  # stands in for census_for_year's return, timed apart (--database)
    steps = {}
    started = _clock()
    xml = write(census)
    steps["write"] = _since(started)
    del census
    started = _clock()
    check_against_schema(xml, YEAR)
    steps["schema"] = _since(started)
    started = _clock()
    read = parse(xml)
    steps["parse"] = _since(started)
    started = _clock()
    issues = pack(YEAR).validate(read)
    steps["validate"] = _since(started)
    print(json.dumps({"steps": steps, "issues": len(issues), "children": len(read.children),
                      "megabytes": len(xml) / 1024 ** 2}))


def inner_validate(path: str) -> None:
    """In the measured process: what the community validator's run does, read the file and run every rule."""
    from casefile.rules.cin.packs import pack
    from casefile.rules.cin.parse import parse

    read = parse(path)
    issues = pack(YEAR).validate(read)
    print(json.dumps({"issues": len(issues), "children": len(read.children)}))


def inner_database(database: str) -> None:
    """In the measured process: read the census year's return from the record."""
    _common.setup_django(Path(database), fresh=False)
    from casefile.returns.census import census_for_year

    started = _clock()
    census = census_for_year(YEAR, now=datetime.datetime(2026, 4, 1, 9, 0))
    print(json.dumps({"steps": {"census_for_year": _since(started)}, "children": len(census.children)}))


def simulated_database(path: Path) -> None:
    """A simulated authority's year (built once: a few minutes), in a process of its own."""
    if path.exists():
        return
    print(f"Simulating an authority into {path} (once) ...", flush=True)
    subprocess.run([sys.executable, __file__, "--simulate", str(path)], check=True)  # noqa: S603


def simulate(path: str) -> None:
    _common.setup_django(Path(path), fresh=True)
    from django.core.management import call_command

    call_command("simulate_la", "--size", "large", "--seed", "1", "--end-date", _common.END_DATE, "--years", "1",
                 "--force", verbosity=0)


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


def report(exports: dict[int, dict], compared: dict[int, tuple[dict, dict | None]], database: dict | None,
           files: dict[int, Path]) -> str:
    lines = ["## CIN census: export and validate, and ours against the community validator", "",
             "Each figure is **one run** (not a median) of a process of its own, measured by `/usr/bin/time -v`: "
             "wall clock, CPU (user + system) and maximum resident set size. The machine is shared with other jobs, "
             "so each row gives the 1-minute load average just before it ran; with a load above the 2 cores, wall "
             "time includes waiting for a core and CPU time is the steadier figure.", ""]
    if exports:
        lines += ["### Export and validate (ours)", "",
                  "Steps timed inside the process (wall, with CPU in brackets): write the census as XML, check it "
                  "against the 2025-26 XSD, parse the file, run the 2025-26 pack's 109 rules. The process also "
                  "starts Python and Django and reads the generated file into the census it writes (not in the steps).",
                  "",
                  "| Children | File | Load | write | XSD check | parse | validate | **Steps total** | Process wall "
                  "| Process CPU | Peak memory | Issues |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for size, run in sorted(exports.items()):
            steps = run["steps"]
            cells = " | ".join(f"{step['wall']:.2f} s ({step['cpu']:.2f})" for step in steps.values())
            total_wall = sum(step["wall"] for step in steps.values())
            total_cpu = sum(step["cpu"] for step in steps.values())
            lines.append(f"| {size:,} | {run['megabytes']:.1f} MB | {run['load']:.1f} | {cells} | **{total_wall:.2f} s "
                         f"({total_cpu:.2f})** | {run['wall']:.2f} s | {run['cpu']:.2f} s | {run['rss_mb']:.0f} MB "
                         f"| {run['issues']:,} |")
        lines += ["", "Seconds per 1,000 children (linear time keeps these level as the return grows):", "",
                  "| Children | Steps total, wall | Steps total, CPU | Process CPU |", "|---|---|---|---|"]
        for size, run in sorted(exports.items()):
            steps = run["steps"].values()
            lines.append(f"| {size:,} | {_per_thousand(sum(s['wall'] for s in steps), size)} s | "
                         f"{_per_thousand(sum(s['cpu'] for s in steps), size)} s | "
                         f"{_per_thousand(run['cpu'], size)} s |")
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
    if database:
        steps = database["steps"]["census_for_year"]
        children = database["children"]
        lines += ["", "### Reading the record (census_for_year)", "",
                  f"On a simulated authority (`simulate_la --size large --seed 1 --years 1`, SQLite), "
                  f"`census_for_year(\"{YEAR}\")` read the return for **{children:,} children** in "
                  f"{steps['wall']:.2f} s wall ({steps['cpu']:.2f} s CPU; load {database['load']:.1f}), "
                  f"{_per_thousand(steps['wall'], children)} s wall per 1,000 children; the process (Python, Django, "
                  f"the query results and the return) peaked at {database['rss_mb']:.0f} MB. This is measured "
                  "apart from the file steps above, on a smaller authority than 50,000 children."]
    lines += _verdict(exports, database)
    lines += ["", f"Machine: {_machine()}; run on {datetime.date.today().isoformat()}. Census files: "
                  + ", ".join(f"{size:,} children {path.stat().st_size / 1024 ** 2:.1f} MB"
                              for size, path in sorted(files.items())) + "."]
    return "\n".join(lines)


def _verdict(exports: dict[int, dict], database: dict | None) -> list[str]:
    if not exports:
        return []
    biggest = max(exports)
    run = exports[biggest]
    wall = sum(step["wall"] for step in run["steps"].values())
    cpu = sum(step["cpu"] for step in run["steps"].values())
    verdict = {True: "within", False: "OUTSIDE"}
    lines = ["", "### Against the target", "",
             f"At {biggest:,} children the file steps (write, XSD check, parse, validate) took {wall:.1f} s wall "
             f"({cpu:.1f} s CPU), the whole process {run['wall']:.1f} s wall ({run['cpu']:.1f} s CPU) in "
             f"{run['rss_mb']:.0f} MB at most. Against the target of {TARGET_SECONDS} s and 1 GB: memory is "
             f"{verdict[run['rss_mb'] < TARGET_MB]} it; the whole process's wall time is "
             f"{verdict[run['wall'] < TARGET_SECONDS]} it and its CPU time {verdict[run['cpu'] < TARGET_SECONDS]} it "
             f"(load {run['load']:.1f} on {os.cpu_count()} cores when it started)."]
    if database:
        steps = database["steps"]["census_for_year"]
        estimate = steps["wall"] / database["children"] * biggest
        lines += ["", f"Reading the record for {biggest:,} children was not measured; at the rate measured above it "
                      f"would add about {estimate:.0f} s (an estimate, assuming it stays linear)."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", default="1000,10000,50000", help="sizes for export and validate (ours)")
    parser.add_argument("--compare", default="5000,20000", help="sizes for ours against theirs ('' for none)")
    parser.add_argument("--database", default=str(Path(tempfile.gettempdir()) / "casefile-bench"
                                                  / "cin-census-1y.sqlite3"),
                        help="a simulated authority for census_for_year ('' to skip); built if missing")
    parser.add_argument("--folder", default=str(Path(tempfile.gettempdir()) / "casefile-bench" / "cin"))
    parser.add_argument("--no-write", action="store_true", help="print the figures without changing results.md")
    for hidden in ("--inner-export", "--inner-validate", "--inner-database", "--simulate"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    for name, run in (("inner_export", inner_export), ("inner_validate", inner_validate),
                      ("inner_database", inner_database), ("simulate", simulate)):
        if getattr(arguments, name):
            run(getattr(arguments, name))
            return
    folder = Path(arguments.folder)
    folder.mkdir(parents=True, exist_ok=True)
    export_sizes, compare_sizes = _sizes(arguments.export), _sizes(arguments.compare)
    files = {size: census_file(size, folder) for size in sorted(set(export_sizes) | set(compare_sizes))}
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
    exports = {}
    for size in export_sizes:
        exports[size] = _inner("--inner-export", str(files[size]))
        print(f"ours   export+validate {size:>6,}: {exports[size]}", flush=True)
    database = None
    if arguments.database:
        simulated_database(Path(arguments.database))
        database = _inner("--inner-database", arguments.database)
        print(f"ours   census_for_year: {database}", flush=True)
    text = report(exports, compared, database, files)
    print(text)
    if not arguments.no_write:
        _common.write_section("cin_validator", text)


if __name__ == "__main__":
    main()
