//! The client's address of every request, once (for the limits and the audit log).

use app::backend::platform::AppState;

/// Resolves the client address of every request once (TCP peer, or `X-Forwarded-For` behind a
/// trusted proxy) for the limits and the audit log; without a TCP peer (tests) none is set.
pub async fn client_address(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let peer = request.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|ci| ci.0.ip());
    if let Some(peer) = peer {
        let client = app::backend::edge::client_address(peer, request.headers(), &state.config.trusted_proxies);
        request.extensions_mut().insert(app::backend::edge::ClientAddr(client));
    }
    next.run(request).await
}
