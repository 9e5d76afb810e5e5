"""What the browser journeys check on every member page: a screenshot of the step, no serious
or critical axe-core violation, and the bytes the page cost within the budgets of
docs/design-rules.md."""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

KB = 1024
# docs/design-rules.md, "Budgets": lesson ≤ 100 KB before images, quiz ≤ 60 KB, JavaScript ≤ 30 KB.
BUDGETS = {"lesson": 100 * KB, "quiz": 60 * KB, "page": 100 * KB}
JS_BUDGET = 30 * KB
DOCS_DIR = Path(settings.BASE_DIR) / "docs" / "screenshots"

# Sums what this page cost, images excepted: the document and every stylesheet and script,
# by their encoded (as sent) body size, so a cached file still counts as on a first visit.
WEIGHT_SCRIPT = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  let total = nav ? nav.encodedBodySize : 0, js = 0, images = 0;
  for (const r of performance.getEntriesByType("resource")) {
    const size = r.encodedBodySize || r.transferSize || 0;
    if (r.initiatorType === "img" || /\\.(png|jpe?g|webp|gif|svg)(\\?|$)/.test(r.name)) {
      images += size; continue;
    }
    total += size;
    if (r.initiatorType === "script" || /\\.js(\\?|$)/.test(r.name)) js += size;
  }
  return {total, js, images, resources: performance.getEntriesByType("resource").length};
}"""


@dataclass
class Screenshots:
    folder: Path
    docs: bool = False
    taken: list[Path] = field(default_factory=list)

    def take(self, page, name: str, *, doc: str = "") -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        if doc and self.docs:
            save_for_docs(page, DOCS_DIR / f"{doc}.png")
        return path


def save_for_docs(page, target: Path) -> None:
    """The visible screen (not the whole page), in 64 colours: a few tens of KB each."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} · {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def page_weight(page) -> dict:
    return page.evaluate(WEIGHT_SCRIPT)


@dataclass
class Checker:
    """Runs axe and the weight budget on a page; collects problems so one run reports all."""

    axe: bool = True
    problems: list[str] = field(default_factory=list)
    weights: dict = field(default_factory=dict)

    def check(self, page, name: str, *, kind: str = "page") -> None:
        page.wait_for_load_state("load")
        if self.axe:
            self.problems += [f"{name}: {v}" for v in serious_violations(page)]
        weight = page_weight(page)
        self.weights[name] = weight
        if weight["total"] > BUDGETS[kind]:
            self.problems.append(f"{name}: {weight['total']} bytes > {BUDGETS[kind]} ({kind})")
        if weight["js"] > JS_BUDGET:
            self.problems.append(f"{name}: {weight['js']} bytes of JavaScript > {JS_BUDGET}")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)
