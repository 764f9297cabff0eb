import Testing
@testable import Dashboard

@Suite struct ResponsePiecesTests {
    @Test func percentagesLoseTrailingZerosOnly() {
        #expect(JSONWriter.trimmed("82.46") == "82.46")
        #expect(JSONWriter.trimmed("80.0000") == "80.0")
        #expect(JSONWriter.trimmed("12.50") == "12.5")
        #expect(JSONWriter.trimmed("-0.10") == "-0.1")
        #expect(JSONWriter.trimmed("100") == "100")
    }

    @Test func stringsAreEscaped() {
        var w = JSONWriter()
        w.beginArray()
        w.string("a\"b\\c\n\u{01}é")
        w.null()
        w.endArray()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "[\"a\\\"b\\\\c\\n\\u0001é\",null]")
    }

    @Test func etagMatchesIfNoneMatchLists() {
        let cached = CachedResponse(body: Array("{}".utf8))
        #expect(cached.matches(ifNoneMatch: cached.etag))
        #expect(cached.matches(ifNoneMatch: "\"x\", W/\(cached.etag)"))
        #expect(cached.matches(ifNoneMatch: "*"))
        #expect(!cached.matches(ifNoneMatch: "\"0000000000000000\""))
        #expect(CachedResponse(serialized: cached.serialized)?.etag == cached.etag)
    }

    @Test func tenantIdsFollowTheContractPattern() {
        #expect(Tenant.isValidID("user_123"))
        #expect(Tenant.isValidID("a.b-c_D9"))
        #expect(Tenant.isValidID(String(repeating: "x", count: 64)))
        #expect(!Tenant.isValidID(String(repeating: "x", count: 65)))
        #expect(!Tenant.isValidID(""))
        #expect(!Tenant.isValidID("a b"))
        #expect(!Tenant.isValidID("a:b"))
        #expect(!Tenant.isValidID("é"))
        #expect(Tenant.isValidType("organization"))
        #expect(!Tenant.isValidType("admin"))
    }

    @Test func bearerSchemeIsCaseInsensitive() {
        #expect(TenantAuthenticator.bearerToken("Bearer abc") == "abc")
        #expect(TenantAuthenticator.bearerToken("bearer abc") == "abc")
        #expect(TenantAuthenticator.bearerToken("Basic abc") == nil)
        #expect(TenantAuthenticator.bearerToken("Bearer ") == nil)
        #expect(TenantAuthenticator.bearerToken(nil) == nil)
    }

    @Test func requestIDsAreEchoedOnlyWhenSafe() {
        #expect(RequestID.resolve("abc-123:x.y_z") == "abc-123:x.y_z")
        #expect(RequestID.resolve("has space") != "has space")
        #expect(RequestID.resolve(String(repeating: "a", count: 129)).count < 129)
        #expect(RequestID.resolve(String(repeating: "a", count: 128)).count == 128)
    }

    @Test func rfc3339TimestampsAreUTC() {
        #expect(WallClock.rfc3339(epochSeconds: 1_795_255_200) == "2026-11-21T10:00:00Z")
    }
}
