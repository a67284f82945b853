//! The member's identity fields: 記号・番号 and 生年月日.

use super::*;
use crate::error::AppError;
use leptos::prelude::*;

/// 記号 and 番号 side by side, checked while typing.
#[component]
pub fn MemberNumberFields(kigo: RwSignal<String>, bango: RwSignal<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    use crate::domain::{Bango, Kigo};
    use crate::text::registration as text;
    view! {
        <div class="field-row">
            <Field label=text::KIGO name="kigo" value=kigo required=true hint=text::KIGO_HINT inputmode="numeric"
                autocomplete="off" maxlength=4 server_error=field_error(error, "kigo") check=check(|v| Kigo::parse(v).err().map(|e| e.0))/>
            <Field label=text::BANGO name="bango" value=bango required=true hint=text::BANGO_HINT inputmode="numeric"
                autocomplete="off" maxlength=8 server_error=field_error(error, "bango") check=check(|v| Bango::parse(v).err().map(|e| e.0))/>
        </div>
        <NumberHowTo/>
    }
}

/// 「記号・番号の確認方法」: a disclosure under the fields (closed: the fields come first).
#[component]
fn NumberHowTo() -> impl IntoView {
    use crate::text::guide as text;
    view! {
        <details class="disclosure">
            <summary>{text::HOWTO_SUMMARY}</summary>
            <ul>{text::HOWTO_ITEMS.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ul>
            <p><a href="/guide" target="_blank" rel="noopener">{text::HOWTO_MORE}</a></p>
        </details>
    }
}

/// 生年月日 as year (with 和暦) / month / day pulldowns, posted as `year`, `month`, `day`.
#[component]
pub fn BirthDateField(this_year: i32, error: Signal<Option<AppError>>) -> impl IntoView {
    use crate::domain::{era, BirthDate};
    use crate::text::registration as text;
    let birth_error = field_error(error, "birth_date");
    view! {
        <fieldset class="field">
            <legend class="label required">{text::BIRTH_DATE}</legend>
            <div class="date-selects">
                <label>
                    <select name="year" required aria-label=text::YEAR aria-invalid=move || birth_error.get().is_some().to_string()>
                        <option value="">"----"</option>
                        {(BirthDate::MIN_YEAR..=this_year).rev().map(|y| view! { <option value=y.to_string()>{era::year_label(y)}</option> }).collect_view()}
                    </select>
                    {text::YEAR}
                </label>
                <label>
                    <select name="month" required aria-label=text::MONTH>
                        <option value="">"--"</option>
                        {(1..=12).map(|m| view! { <option value=m.to_string()>{m}</option> }).collect_view()}
                    </select>
                    {text::MONTH}
                </label>
                <label>
                    <select name="day" required aria-label=text::DAY>
                        <option value="">"--"</option>
                        {(1..=31).map(|d| view! { <option value=d.to_string()>{d}</option> }).collect_view()}
                    </select>
                    {text::DAY}
                </label>
            </div>
            <p class="field-error" id="birth_date-error" role="alert">{move || birth_error.get()}</p>
        </fieldset>
    }
}
