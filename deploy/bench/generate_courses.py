#!/usr/bin/env python3
"""Generate synthetic, published-ready Lantern course packages for benchmarks.

    generate_courses.py OUT_DIR [--lessons 10000] [--per-course 50] [--seed 1]

OUT_DIR becomes a content folder in the format of content/README.md:

    OUT_DIR/organisations.toml            the demo association "eanma" only
    OUT_DIR/courses/bench-course-0001/
        course.toml                       modules of up to 10 lessons, quiz after the last
        quiz.toml                         6 questions (single, multiple, true_false)
        lessons/001-<slug>.md             TOML front matter + Markdown, 4.7-7 KB like the demo

so `lantern import OUT_DIR` works on an empty database as well as on one holding the demo
content. The prose comes from a word chain trained on the English demo lessons (--corpus): it
reads like a lesson only sentence by sentence, but its vocabulary and compressibility (zlib
~2.0x; the demo lessons 2.2x) are realistic, and so are the size and structure of each lesson
(## / ### headings, lists, a table, callouts, a WHO link). The same seed gives the same bytes.
"""

import argparse
import random
import re
import shutil
import tomllib
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Words for titles, tables and course metadata (the prose comes from the demo lessons).

SUBJECTS = [
    "the nurse", "the midwife", "the clinical officer", "the pharmacist", "the ward team",
    "the health worker on duty", "the community health worker", "the supervisor",
    "the doctor on call", "the person in charge of the shift", "a student nurse",
    "the receiving facility", "the outpatient team", "the infection prevention focal person",
    "the mother's companion", "the team leader", "the night staff", "the district trainer",
]
ACTIONS = [
    "checks", "records", "explains", "reviews", "confirms", "prepares", "labels", "reports",
    "measures", "documents", "discusses", "cleans", "stores", "returns", "escalates",
    "double-checks", "observes", "repeats", "hands over", "writes down",
]
OBJECTS = [
    "the prescription chart", "the patient's identity band", "the cold box", "the sharps container",
    "the partograph", "the vital signs", "the blood glucose", "the fluid balance chart",
    "the oxygen saturation", "the dose and the route", "the expiry date", "the referral note",
    "the stock card", "the consent form", "the wound dressing", "the newborn's temperature",
    "the drip rate", "the danger signs", "the allergy status", "the care plan",
    "the handwashing station", "the emergency tray", "the vaccine vial monitor",
    "the infusion bag", "the pain score", "the urine output", "the weight of the child",
]
WHEN = [
    "before the ward round", "at every handover", "before giving any medicine",
    "as soon as the patient arrives", "within the first hour", "at the end of each shift",
    "whenever the condition changes", "before the family leaves", "after each procedure",
    "when the supply arrives", "every four hours", "before discharge", "during the night",
    "when the patient is moved", "before starting the infusion", "at the weekly meeting",
]
TOPICS = [
    "hand-hygiene", "infection-prevention", "medication-safety", "maternal-health",
    "newborn-care", "patient-safety", "child-health", "wound-care", "cold-chain",
    "occupational-health", "communication", "record-keeping",
]
TITLE_WORDS = [
    ("Checking", "Recording", "Explaining", "Preparing", "Reviewing", "Reporting", "Planning",
     "Sharing", "Escalating", "Improving"),
    ("vital signs", "doses", "danger signs", "referrals", "handovers", "fluid balance",
     "consent", "stock levels", "dressings", "feeding", "pain", "infusions", "waste",
     "vaccines", "sterile supplies", "observations"),
    ("on the ward", "at night", "in the community", "in the labour ward", "for children",
     "for older people", "at the clinic", "with the family", "under pressure",
     "with few staff", "after birth", "before discharge"),
]
MODULE_NAMES = ["Foundations", "At the bedside", "Working as a team", "Records and reporting",
                "Special situations", "Putting it into practice"]
PROFESSIONS = ["nurse", "midwife", "medical-doctor", "clinical-officer",
               "community-health-worker", "pharmacist"]
COMPETENCIES = ["IPC.1", "IPC.2", "MED.1", "MED.2", "MNH.1", "LEA.3"]
LINKS = [
    ("WHO patient safety", "https://www.who.int/health-topics/patient-safety"),
    ("WHO infection prevention and control", "https://www.who.int/health-topics/infection-prevention-and-control"),
    ("WHO maternal health", "https://www.who.int/health-topics/maternal-health"),
    ("WHO newborn health", "https://www.who.int/health-topics/newborn-health"),
]
CALLOUTS = ["NOTE", "TIP", "IMPORTANT", "WARNING"]


class Markov:
    """An order-2 word chain trained on the English demo lessons, so that generated prose has
    the vocabulary, sentence length and compressibility of real lessons."""

    def __init__(self, courses: Path):
        self.next: dict[tuple[str, str], list[str]] = {}
        for package in sorted(courses.iterdir()):
            course = tomllib.loads((package / "course.toml").read_text(encoding="utf-8"))
            if course.get("language") != "en":
                continue
            for lesson in sorted((package / "lessons").glob("*.md")):
                body = lesson.read_text(encoding="utf-8").split("+++", 2)[2]
                for line in body.splitlines():
                    if not line or line[0] in "#|>!" or line.startswith("---"):
                        continue  # headings, tables, callouts, images: prose only
                    line = re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", line)  # a link becomes its text
                    line = re.sub(r"^\s*([-*]|\d+\.)\s+", "", line)  # list markers
                    line = line.replace("*", "").replace('"', "'")
                    for text in re.split(r"(?<=[.?!])\s+", line):
                        self.learn(text.split())
        if ("", "") not in self.next:
            raise SystemExit(f"no English lessons found under {courses}")

    def learn(self, words: list[str]) -> None:
        if not words:
            return
        state = ("", "")  # ("", "") is the start of a sentence, "" its end
        for word in words + [""]:
            self.next.setdefault(state, []).append(word)
            state = (state[1], word)

    def sentence(self, rng: random.Random) -> str:
        state, words = ("", ""), []
        while len(words) < 45:
            word = rng.choice(self.next[state])
            if not word:
                break
            words.append(word)
            state = (state[1], word)
        text = " ".join(words).rstrip(",;:")
        text = text[0].upper() + text[1:]
        return text if text[-1] in ".?!" else text + "."


CHAIN: Markov  # set in main()


def sentence(rng: random.Random) -> str:
    """One sentence of lesson-like prose, sometimes opening with **bold** words."""
    text = CHAIN.sentence(rng)
    words = text.split(" ")
    if len(words) > 6 and rng.random() < 0.2:
        text = f"**{' '.join(words[:3])}** {' '.join(words[3:])}"
    return text


def paragraph(rng: random.Random, low: int = 2, high: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(words) for words in TITLE_WORDS).capitalize()


def kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def section(rng: random.Random, heading: str) -> str:
    """A ## section with paragraphs and one of: a list, a numbered list, a ### subsection."""
    parts = [f"## {heading}", paragraph(rng)]
    shape = rng.randrange(3)
    if shape == 0:
        parts.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))))
    elif shape == 1:
        parts.append("\n".join(f"{i}. {sentence(rng)}" for i in range(1, rng.randint(4, 6))))
    else:
        parts += [f"### {title(rng)}", paragraph(rng, 2, 3)]
    return "\n\n".join(parts)


def lesson_body(rng: random.Random, target_bytes: int) -> str:
    """Markdown of about target_bytes: sections, one table, two callouts, a summary and a link."""
    parts = [paragraph(rng, 3, 4)]
    table = ["| Step | Who | When |", "|---|---|---|"]
    table += [f"| {rng.choice(ACTIONS).capitalize()} {rng.choice(OBJECTS)} | "
              f"{rng.choice(SUBJECTS).capitalize()} | {rng.choice(WHEN).capitalize()} |"
              for _ in range(rng.randint(4, 6))]
    extras = [
        "\n".join(table),
        f"> [!NOTE]\n> {paragraph(rng, 2, 3)}",
        f"> [!{rng.choice(CALLOUTS[1:])}]\n> {sentence(rng)}\n>\n> - {sentence(rng)}\n> - {sentence(rng)}",
    ]
    summary_link = rng.choice(LINKS)
    summary = ("## Summary\n\n" + "\n".join(f"- {sentence(rng)}" for _ in range(4))
               + f"\n\nRead more in [{summary_link[0]}]({summary_link[1]}).")
    while len("\n\n".join(parts + extras + [summary])) < target_bytes:
        parts.append(section(rng, title(rng)))
        if extras:  # place the table and callouts between the first sections
            parts.append(extras.pop(0))
    return "\n\n".join(parts + extras + [summary]) + "\n"


def quiz(rng: random.Random) -> str:
    def plain() -> str:  # quiz text is plain text, without Markdown
        return sentence(rng).replace("**", "")

    def option(text: str, correct: bool) -> str:
        return (f'[[questions.options]]\ntext = "{text}"\ncorrect = {str(correct).lower()}\n'
                f'feedback = "{plain()}"\n')

    out = ['title = "Check your understanding"\npass_mark = 80\nmax_attempts = 0\n']
    for number in range(6):
        kind = ["single", "multiple", "true_false"][number % 3]
        out.append(f'[[questions]]\nkind = "{kind}"\nprompt = "{plain()[:-1]}?"\n'
                   f'competencies = ["{rng.choice(COMPETENCIES)}"]\n')
        if kind == "true_false":
            right = rng.random() < 0.5
            out += [option("True", right), option("False", not right)]
        else:
            count = 4
            correct = {0} if kind == "single" else {0, 2}
            out += [option(plain()[:-1], i in correct) for i in range(count)]
    return "\n".join(out)


def course(rng: random.Random, root: Path, number: int, lessons: int) -> None:
    slug = f"bench-course-{number:04d}"
    folder = root / "courses" / slug
    (folder / "lessons").mkdir(parents=True)
    paths, minutes = [], 0
    for index in range(1, lessons + 1):
        heading = title(rng)
        # The number suffix keeps lesson slugs unique within the course.
        path = f"lessons/{index:03d}-{kebab(heading)}-{index}.md"
        lesson_minutes = rng.randint(6, 14)
        minutes += lesson_minutes
        front = (f'+++\ntitle = "{heading}"\nminutes = {lesson_minutes}\n'
                 f'competencies = [ {{ code = "{rng.choice(COMPETENCIES)}", level = {rng.randint(1, 3)} }} ]\n+++\n\n')
        # Demo lessons are 5.1-6.8 KB including front matter.
        (folder / path).write_text(front + lesson_body(rng, rng.randint(4700, 6100)), encoding="utf-8")
        paths.append(path)
    (folder / "quiz.toml").write_text(quiz(rng), encoding="utf-8")

    modules = []
    chunks = [paths[i:i + 10] for i in range(0, len(paths), 10)]
    for i, chunk in enumerate(chunks):
        listed = ",\n".join(f'  "{p}"' for p in chunk)
        module = f'[[modules]]\ntitle = "{MODULE_NAMES[i % len(MODULE_NAMES)]} {i + 1}"\nlessons = [\n{listed},\n]\n'
        if i == len(chunks) - 1:
            module += 'quiz = "quiz.toml"\n'
        modules.append(module)
    professions = sorted(rng.sample(PROFESSIONS, rng.randint(1, 3)))
    topics = sorted(rng.sample(TOPICS, 2))
    toml = f'''slug = "{slug}"
title = "Benchmark course {number}: {title(rng).lower()}"
summary = "A synthetic course generated for load tests, about {rng.choice(OBJECTS)} {rng.choice(WHEN)}."
language = "en"
association = "eanma"
professions = [{", ".join(f'"{p}"' for p in professions)}]
topics = [{", ".join(f'"{t}"' for t in topics)}]
minutes = {minutes + 15}
licence = "CC-BY-SA-4.0"
credits = {max(1, round(minutes / 60 * 4)) / 4}
objectives = [
  "Explain {rng.choice(OBJECTS)} to a colleague",
  "Record {rng.choice(OBJECTS)} {rng.choice(WHEN)}",
]
competencies = [ {{ code = "{rng.choice(COMPETENCIES)}", level = 2 }} ]

'''
    (folder / "course.toml").write_text(toml + "\n".join(modules), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--lessons", type=int, default=10_000, help="total lessons (default 10000)")
    parser.add_argument("--per-course", type=int, default=50, help="lessons per course (default 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "content" / "courses",
                        help="demo course packages whose English lessons train the text generator")
    args = parser.parse_args()

    root: Path = args.out_dir
    if (root / "courses").exists():  # idempotent: regenerate from scratch
        shutil.rmtree(root / "courses")
    root.mkdir(parents=True, exist_ok=True)
    (root / "organisations.toml").write_text(
        '[[organisations]]\nslug = "eanma"\nname = "East African Nurses and Midwives Association"\n'
        'kind = "association"\ncountry = "KE"\n', encoding="utf-8")
    global CHAIN
    CHAIN = Markov(args.corpus)
    rng = random.Random(args.seed)
    remaining, number = args.lessons, 0
    while remaining > 0:
        number += 1
        count = min(args.per_course, remaining)
        course(rng, root, number, count)
        remaining -= count
    print(f"Wrote {number} course(s), {args.lessons} lesson(s) to {root}/courses")


if __name__ == "__main__":
    main()
