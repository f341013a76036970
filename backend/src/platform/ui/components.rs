//! Small pieces every view repeats: form fields with their errors, the CSRF field, notices.

use crate::platform::security::CSRF_FIELD;
use crate::platform::ui::Lang;
use maud::{Markup, html};

/// The fields of a posted form in their order, repeated names kept (checkboxes).
#[derive(Clone, Debug, Default)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

/// The list of problems an edit, an upload or an import ran into ("Nothing was saved: N
/// problems"), each as its file:line message.
pub fn problem_list(t: Lang, problems: &[String]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.alert.error role="alert" {
                p { strong { (t.ta("edit-problems", &[("count", (problems.len() as i64).into())])) } }
                ul { @for problem in problems { li { code { (problem) } } } }
            }
        }
    }
}

/// The hidden field that carries the CSRF token.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token); }
}

/// Messages for the fields of a form that failed validation, in field order.
#[derive(Clone, Debug, Default)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a message for `field` (the first message per field wins).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(f, m)| (*f, m.as_str()))
    }
}

/// A labelled input with its error beside it and the typed value kept.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub value: &'a str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    pub hint: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn text(name: &'static str, label: &'a str, value: &'a str) -> Self {
        Self { name, label, value, kind: "text", autocomplete: "off", required: false, hint: None }
    }

    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'static str) -> Self {
        self.autocomplete = autocomplete;
        self
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn render(&self, errors: &FormErrors) -> Markup {
        let error = errors.get(self.name);
        let id = format!("f-{}", self.name);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = match (self.hint.is_some(), error.is_some()) {
            (true, true) => Some(format!("{hint_id} {error_id}")),
            (true, false) => Some(hint_id.clone()),
            (false, true) => Some(error_id.clone()),
            (false, false) => None,
        };
        // Password fields never echo what was typed.
        let value = if self.kind == "password" { "" } else { self.value };
        html! {
            div.field.invalid[error.is_some()] {
                label for=(id) { (self.label) }
                @if let Some(hint) = self.hint { p.hint id=(hint_id) { (hint) } }
                @if let Some(error) = error { p.error id=(error_id) { (error) } }
                input id=(id) name=(self.name) type=(self.kind) value=(value)
                    autocomplete=(self.autocomplete) required[self.required]
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[described];
            }
        }
    }
}

/// A labelled `select` with its error beside it.
pub fn select_field(
    name: &'static str,
    label: &str,
    options: &[(String, String)],
    selected: &str,
    errors: &FormErrors,
) -> Markup {
    let id = format!("f-{name}");
    let error = errors.get(name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            @if let Some(error) = error { p.error id={(id) "-error"} { (error) } }
            select id=(id) name=(name) aria-invalid=[error.map(|_| "true")] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

/// A summary of a form's errors, for the top of the form.
pub fn error_summary(title: &str, errors: &FormErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.alert.error role="alert" {
                p { strong { (title) } }
                ul {
                    @for (field, message) in errors.iter() {
                        li { a href={"#f-" (field)} { (message) } }
                    }
                }
            }
        }
    }
}
