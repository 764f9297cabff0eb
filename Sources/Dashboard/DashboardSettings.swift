/// The application's settings, read from the environment by the executable.
public struct DashboardSettings: Sendable {
    /// `DASHBOARD_ENABLED`, default true: false turns the dashboard routes into 404s.
    public var enabled = true
    /// `DASHBOARD_CACHE_TTL` in seconds; default by environment (60 / 300 / 600 / 1800).
    public var cacheTTLSeconds = 60
    /// `CORS_ALLOWED_ORIGINS`: exact origins allowed to read responses from a browser.
    public var corsAllowedOrigins: [String] = []
    /// `METRICS_ALLOW`: peer addresses allowed to read `/metrics` (default loopback).
    public var metricsAllow: [String] = ["127.0.0.1", "::1"]
    /// Reported by `/health/dashboard`.
    public var version = "dev"

    public init() {}
}
