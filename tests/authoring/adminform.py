"""Post back exactly what a Wagtail admin form holds.

`form_data(html)` reads the editor's <form> as the browser would submit it: every named
input with its current value (checked boxes only, selected options, textarea text),
management forms of the inline panels included, and nothing from the <template> rows
Wagtail's JavaScript clones when "Add" is clicked. Tests then change what a trainer
would change and post the whole thing, so a test breaks when the form changes.
"""

from html.parser import HTMLParser

__all__ = ["AdminForm", "form_data"]


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth_in_form = 0  # >0 while inside the wanted <form>
        self.template_depth = 0
        self.fields: list[tuple[str, str]] = []
        self.select_name = None
        self.select_options: list[tuple[str, bool]] = []
        self.option_value = None
        self.option_text = ""
        self.option_selected = False
        self.textarea_name = None
        self.textarea_text = ""
        self.found = False
        self.action = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.depth_in_form:
                self.depth_in_form += 1
            elif (
                self.form_id is None
                and not self.found
                and attrs.get("method", "").lower() == "post"
            ) or (self.form_id and attrs.get("id") == self.form_id):
                self.depth_in_form = 1
                self.found = True
                self.action = attrs.get("action")
            return
        if not self.depth_in_form:
            return
        if tag == "template":
            self.template_depth += 1
            return
        if self.template_depth:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name and "disabled" not in attrs:
            self.select_name = name
            self.select_multiple = "multiple" in attrs
            self.select_options = []
        elif tag == "option" and self.select_name is not None:
            self.option_value = attrs.get("value")
            self.option_selected = "selected" in attrs
            self.option_text = ""
        elif tag == "textarea" and name and "disabled" not in attrs:
            self.textarea_name = name
            self.textarea_text = ""

    def handle_data(self, data):
        if self.option_value is not None or (self.select_name and self.option_text == ""):
            self.option_text += data
        if self.textarea_name is not None:
            self.textarea_text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.depth_in_form:
            self.depth_in_form -= 1
            return
        if not self.depth_in_form:
            return
        if tag == "template":
            self.template_depth = max(0, self.template_depth - 1)
            return
        if self.template_depth:
            return
        if tag == "option" and self.select_name is not None:
            value = self.option_value if self.option_value is not None else self.option_text.strip()
            self.select_options.append((value, self.option_selected))
            self.option_value = None
        elif tag == "select" and self.select_name is not None:
            chosen = [value for value, selected in self.select_options if selected]
            if not chosen and self.select_options and not self.select_multiple:
                chosen = [self.select_options[0][0]]
            for value in chosen:
                self.fields.append((self.select_name, value))
            self.select_name = None
        elif tag == "textarea" and self.textarea_name is not None:
            text = self.textarea_text
            if text.startswith("\n"):
                text = text[1:]
            self.fields.append((self.textarea_name, text))
            self.textarea_name = None


class AdminForm:
    """The fields of one form, as a browser would post them (a name may repeat)."""

    def __init__(self, fields: list[tuple[str, str]], action: str | None):
        self.fields = fields
        self.action = action

    def names(self) -> set[str]:
        return {name for name, _ in self.fields}

    def __getitem__(self, name):
        values = [value for key, value in self.fields if key == name]
        if not values:
            raise KeyError(name)
        return values[0]

    def __contains__(self, name):
        return name in self.names()

    def set(self, **values) -> "AdminForm":
        for name, value in values.items():
            self.fields = [(key, val) for key, val in self.fields if key != name]
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                self.fields.extend((name, str(v)) for v in value)
            else:
                self.fields.append((name, str(value)))
        return self

    def update(self, values: dict) -> "AdminForm":
        return self.set(**values)

    def add_inline_row(self, prefix: str, **row) -> "AdminForm":
        """What clicking "Add" under an InlinePanel posts: a new row, TOTAL_FORMS + 1."""
        total = int(self[f"{prefix}-TOTAL_FORMS"])
        fields = {f"{prefix}-{total}-{key}": value for key, value in row.items()}
        fields.setdefault(f"{prefix}-{total}-id", "")
        fields.setdefault(f"{prefix}-{total}-ORDER", str(total + 1))
        fields.setdefault(f"{prefix}-{total}-DELETE", "")
        self.update(fields)
        return self.set(**{f"{prefix}-TOTAL_FORMS": total + 1})

    def data(self) -> dict:
        grouped: dict[str, list[str]] = {}
        for name, value in self.fields:
            grouped.setdefault(name, []).append(value)
        return {name: values if len(values) > 1 else values[0] for name, values in grouped.items()}


def form_data(html: str, *, form_id: str | None = None) -> AdminForm:
    parser = _FormParser(form_id)
    parser.feed(html)
    assert parser.found, f"no form {form_id or '(first POST form)'} in the page"
    return AdminForm(parser.fields, parser.action)
