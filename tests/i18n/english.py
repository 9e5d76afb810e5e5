"""Find English interface words in what a person sees or hears on an admin screen."""

import json
import re

from bs4 import BeautifulSoup

# Attributes whose values are shown (tooltips, placeholders, button captions) or read out by
# screen readers. Every other attribute value (classes, URLs, data for scripts) is ignored.
VISIBLE_ATTRIBUTES = (
    "title",
    "aria-label",
    "aria-description",
    "placeholder",
    "alt",
    "data-w-tooltip-content-value",
)

# Common English words of Wagtail's and Django's interfaces, matched as whole words with their
# case: none is a Vietnamese word, and the demo's content (VNeID, OTP, Zalo, QR…) has none.
ENGLISH_WORDS = [
    w.strip()
    for w in """
Save, Saved, Saving, Save draft, Draft, Publish, Published, Unpublish, Preview, Cancel, Delete,
Edit, Editing, Add, Add child page, Search, Choose, Pages, Images, Image, Documents, Document,
Snippets, Snippet, Settings, Help, Users, User, Groups, Sites, Site, Collections, Collection,
Redirects, Workflows, Workflow, Tasks, Task, More actions, Set schedule, Content, Promote,
Page title, Dashboard, Reports, Status, Live, Actions, Submit, Approve, Approved, Reject,
Rejected, Revisions, Revision, History, Upload, Uploading, Title, Slug, Locked, Lock, Unlock,
Privacy, Private, Public, Explore, Explorer, Sort, Sort by, Filter, Filters, Next, Previous,
Yes, No, None, True, False, Copy, Move, Comments, Comment, Account, Log out, Owner, Select,
Select all, Apply, Clear, Show, Hide, Close, Back, Loading, Required, This field, Root,
approval, Moderators, Editors, Latest, Recent, Expired, Scheduled, Expiry, Go live, Tags, Usage,
Type, Name, Date, Updated, Created, Edited, Deleted, Author, Notifications, Profile, Password,
Username, Email address, Permissions, Roles, Role, Active, Inactive, Enabled, Disabled, Enable,
Disable, Focal point, Alt text, Insert, Embed, Link, Bold, Italic, Heading, Download, Summary,
Total, Keyboard shortcuts, Sidebar, Toggle, Breadcrumb, Pagination, Page, Sorry, Please, Error,
Warning, Success, Changes, minutes, minute, hours, hour, days, day, seconds, weeks, months,
years, ago, just now, Autosave, Write something, Insert a block, Search all pages, Choose a page
""".replace("\n", " ").split(",")
]
_PATTERN = re.compile(
    r"\b("
    + "|".join(re.escape(w) for w in sorted(set(ENGLISH_WORDS), key=len, reverse=True))
    + r")\b"
)


# What a browser shows: the rendered text (hidden elements left out) and the visible
# attributes of the elements that are displayed.
BROWSER_VISIBLE_TEXT = """() => {
    const parts = [document.body.innerText];
    for (const element of document.querySelectorAll("*")) {
        if (!element.checkVisibility()) continue;
        for (const name of NAMES) {
            const value = element.getAttribute(name);
            if (value) parts.push(value);
        }
    }
    return parts.join(" ");
}""".replace("NAMES", json.dumps(VISIBLE_ATTRIBUTES))


def visible_text(content: str) -> str:
    """The text of an HTML page (or of the "html" of a chooser's JSON answer) that a person
    reads or hears: element text without scripts and styles, and the visible attributes."""
    if content.lstrip().startswith("{"):
        content = json.loads(content).get("html", "")
    soup = BeautifulSoup(content, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    parts = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        parts.extend(str(tag[name]) for name in VISIBLE_ATTRIBUTES if tag.get(name))
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            parts.append(tag["value"])
    return re.sub(r"\s+", " ", " ".join(parts))


def english_words(content: str) -> list[str]:
    """Each English word found in an HTML page, with a little of the text around it."""
    return english_words_in_text(visible_text(content))


def english_words_in_text(text: str) -> list[str]:
    """Each English word found in a text, with a little of the text around it."""
    text = re.sub(r"\s+", " ", text)
    return [
        f"{match.group(0)!r} in “…{text[max(0, match.start() - 40) : match.end() + 40]}…”"
        for match in _PATTERN.finditer(text)
    ]
