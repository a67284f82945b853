//! The staff console's raw handlers outside the Leptos router: the audit log's CSV export and
//! the roster and 医療費 uploads, 紙で送付が必要な加入者 (behind the shared staff guard,
//! `edge::staff_of_request`).

use app::backend::audit;
use app::backend::edge::{self, StaffRefusal};
use app::backend::platform::AppState;
use app::backend::staff::{audit_view, session};
use app::domain::StaffRole;
use axum::extract::{Query, Request, State};
use axum::response::{Html, IntoResponse, Response};
use http::{header, StatusCode};

#[derive(Debug, Default, serde::Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    event: String,
}

/// The console's own guard (`edge::staff_of_request`), answered as a raw handler answers: to
/// the login with 302 (a page fetched) or 303 (a form posted: the login is fetched, not posted).
async fn guard(
    state: &AppState,
    method: &http::Method,
    headers: &http::HeaderMap,
    route: &str,
    needed: StaffRole,
) -> Result<session::StaffMember, Response> {
    match edge::staff_of_request(state, headers, route, needed).await {
        Ok(staff) => Ok(staff),
        Err(StaffRefusal::Login(target)) => {
            let status = if method == http::Method::GET { StatusCode::FOUND } else { StatusCode::SEE_OTHER };
            Err((status, [(header::LOCATION, target)]).into_response())
        }
        Err(StaffRefusal::Forbidden) => Err((StatusCode::FORBIDDEN, Html(app::pages::error::error_page_html())).into_response()),
        Err(StaffRefusal::Db(e)) => Err(internal(e)),
    }
}

/// `/staff/audit.csv`: the 監査ログ page's filters as CSV (UTF-8 with BOM). The export itself
/// is recorded in the audit log.
pub async fn audit_csv(State(state): State<AppState>, Query(q): Query<AuditQuery>, request: Request) -> Response {
    let staff = match guard(&state, request.method(), request.headers(), "/staff/audit", StaffRole::Agent).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let filter = audit_view::Filter::from_query(&q.from, &q.to, &q.staff, &q.member, &q.event);
    let csv = match audit_view::csv(&state.db, &filter).await {
        Ok(csv) => csv,
        Err(e) => return internal(e),
    };
    let client_ip = request.extensions().get::<app::backend::edge::ClientAddr>().map(|c| c.0.to_string());
    let detail = format!("from={} to={} staff={} member={} event={}", q.from, q.to, q.staff, q.member, q.event);
    let now = state.clock.now();
    let exported = audit::AuditEvent::by_staff(audit::Event::StaffAuditExported, &staff.id, client_ip.as_deref(), &detail);
    if let Err(e) = audit::record(&state.db, now, exported).await {
        return internal(e);
    }
    super::download(csv, "text/csv; charset=utf-8", &format!("audit-{}.csv", app::backend::platform::clock::jst(now, "%Y%m%d-%H%M")))
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The file and the text fields of an upload form; `Err` when the body is over its route's limit.
async fn read_upload(form: &mut axum::extract::Multipart) -> Result<(Option<(String, axum::body::Bytes)>, Vec<(String, String)>), ()> {
    let (mut file, mut fields) = (None, Vec::new());
    while let Some(field) = form.next_field().await.map_err(|_| ())? {
        match field.name().map(str::to_string) {
            Some(name) if name == "file" => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                file = Some((file_name, field.bytes().await.map_err(|_| ())?));
            }
            Some(name) => fields.push((name, field.text().await.map_err(|_| ())?)),
            None => {}
        }
    }
    Ok((file.filter(|(_, b)| !b.is_empty()), fields))
}

/// `/staff/roster/upload` (管理者): stores the chosen file for its preview and shows it; a
/// problem goes back to the form with `?error=` (the page says it in words).
pub async fn roster_upload(
    State(state): State<AppState>,
    client: Option<axum::Extension<app::backend::edge::ClientAddr>>,
    headers: http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    use app::backend::roster::Mode;
    use app::backend::staff::roster_upload;
    let staff = match guard(&state, &http::Method::POST, &headers, "/staff/roster", StaffRole::Admin).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Ok((file, fields)) = read_upload(&mut form).await else { return see_other("/staff/roster?error=too-large") };
    let mode = if fields.iter().any(|(k, v)| k == "mode" && v == "replace") { Mode::Replace } else { Mode::Upsert };
    let Some((name, bytes)) = file else { return see_other("/staff/roster?error=no-file") };
    let client_ip = client.map(|c| c.0 .0.to_string());
    match roster_upload::store(&state.db, &staff, client_ip.as_deref(), state.clock.now(), &name, &bytes, mode).await {
        Ok(id) => see_other(&format!("/staff/roster/{id}")),
        Err(app::backend::staff::StaffError::Db(e)) => internal(e),
        Err(_) => see_other("/staff/roster?error=encoding"),
    }
}

/// `/staff/medical/upload` (管理者): stores the claims file for its preview and shows it.
pub async fn medical_upload(
    State(state): State<AppState>,
    client: Option<axum::Extension<app::backend::edge::ClientAddr>>,
    headers: http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    use app::backend::staff::medical_upload;
    let staff = match guard(&state, &http::Method::POST, &headers, "/staff/medical", StaffRole::Admin).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Ok((file, _)) = read_upload(&mut form).await else { return see_other("/staff/medical?error=too-large") };
    let Some((name, bytes)) = file else { return see_other("/staff/medical?error=no-file") };
    let client_ip = client.map(|c| c.0 .0.to_string());
    match medical_upload::store(&state, &staff, client_ip.as_deref(), &name, &bytes).await {
        Ok(id) => see_other(&format!("/staff/medical/upload/{id}")),
        Err(app::backend::staff::StaffError::Db(e)) => internal(e),
        Err(_) => see_other("/staff/medical?error=encoding"),
    }
}

/// `/staff/family/upload` (管理者): stores the family file for its preview and shows it.
pub async fn family_upload(
    State(state): State<AppState>,
    client: Option<axum::Extension<app::backend::edge::ClientAddr>>,
    headers: http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    use app::backend::staff::family_upload;
    let staff = match guard(&state, &http::Method::POST, &headers, "/staff/family", StaffRole::Admin).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Ok((file, _)) = read_upload(&mut form).await else { return see_other("/staff/family?error=too-large") };
    let Some((name, bytes)) = file else { return see_other("/staff/family?error=no-file") };
    let client_ip = client.map(|c| c.0 .0.to_string());
    match family_upload::store(&state, &staff, client_ip.as_deref(), &name, &bytes).await {
        Ok(id) => see_other(&format!("/staff/family/upload/{id}")),
        Err(app::backend::staff::StaffError::Db(e)) => internal(e),
        Err(_) => see_other("/staff/family?error=encoding"),
    }
}

/// `/staff/benefits/upload` (管理者): stores the decision file for its preview and shows it.
pub async fn benefits_upload(
    State(state): State<AppState>,
    client: Option<axum::Extension<app::backend::edge::ClientAddr>>,
    headers: http::HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    use app::backend::staff::benefit_upload;
    let staff = match guard(&state, &http::Method::POST, &headers, "/staff/benefits", StaffRole::Admin).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let Ok((file, _)) = read_upload(&mut form).await else { return see_other("/staff/benefits?error=too-large") };
    let Some((name, bytes)) = file else { return see_other("/staff/benefits?error=no-file") };
    let client_ip = client.map(|c| c.0 .0.to_string());
    match benefit_upload::store(&state, &staff, client_ip.as_deref(), &name, &bytes).await {
        Ok(id) => see_other(&format!("/staff/benefits/upload/{id}")),
        Err(app::backend::staff::StaffError::Db(e)) => internal(e),
        Err(_) => see_other("/staff/benefits?error=encoding"),
    }
}

/// `/staff/benefits/{batch}/paper.csv` (管理者): the households of a decision batch that need the
/// notice on paper (audited).
pub async fn benefits_paper_csv(
    State(state): State<AppState>,
    axum::extract::Path(batch): axum::extract::Path<String>,
    request: Request,
) -> Response {
    use app::backend::staff::benefit_upload;
    paper_csv(&state, request, "/staff/benefits", &format!("kyufu-paper-{batch}.csv"), |state, staff, ip| {
        Box::pin(async move { benefit_upload::paper_csv(state, staff, ip, &batch).await })
    })
    .await
}

/// `/staff/family/issues/{issue}/paper.csv` (管理者): the households of an issuing run that need
/// the 資格情報のお知らせ on paper (audited).
pub async fn qualification_paper_csv(
    State(state): State<AppState>,
    axum::extract::Path(issue): axum::extract::Path<String>,
    request: Request,
) -> Response {
    use app::backend::staff::family_upload;
    paper_csv(&state, request, "/staff/family", &format!("shikaku-paper-{issue}.csv"), |state, staff, ip| {
        Box::pin(async move { family_upload::paper_csv(state, staff, ip, &issue).await })
    })
    .await
}

/// A paper list's CSV behind the 管理者 guard of `route`.
async fn paper_csv<F>(state: &AppState, request: Request, route: &str, file_name: &str, export: F) -> Response
where
    F: for<'a> FnOnce(
        &'a AppState,
        &'a session::StaffMember,
        Option<&'a str>,
    )
        -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<u8>, app::backend::staff::StaffError>> + Send + 'a>>,
{
    use app::backend::staff::StaffError;
    let staff = match guard(state, request.method(), request.headers(), route, StaffRole::Admin).await {
        Ok(staff) => staff,
        Err(refused) => return refused,
    };
    let client_ip = request.extensions().get::<app::backend::edge::ClientAddr>().map(|c| c.0.to_string());
    match export(state, &staff, client_ip.as_deref()).await {
        Ok(csv) => super::download(csv, "text/csv; charset=utf-8", file_name),
        Err(StaffError::NotFound) => (StatusCode::NOT_FOUND, Html(app::pages::error::not_found_page_html())).into_response(),
        Err(StaffError::Db(e)) => internal(e),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Html(app::pages::error::error_page_html())).into_response(),
    }
}

/// `/staff/medical/{batch}/paper.csv` (管理者): 紙で送付が必要な加入者 of a batch (audited).
pub async fn medical_paper_csv(
    State(state): State<AppState>,
    axum::extract::Path(batch): axum::extract::Path<String>,
    request: Request,
) -> Response {
    use app::backend::staff::medical_upload;
    let route = format!("/staff/medical/{batch}");
    paper_csv(&state, request, &route, &format!("paper-{batch}.csv"), |state, staff, ip| {
        Box::pin(async move { medical_upload::paper_csv(state, staff, ip, &batch).await })
    })
    .await
}

fn internal(e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "staff request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, Html(app::pages::error::error_page_html())).into_response()
}
