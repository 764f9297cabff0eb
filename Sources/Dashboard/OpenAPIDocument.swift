/// The OpenAPI 3.1 description of findash's HTTP API (CONTRACT.md §4–§5), served at
/// `GET /openapi.json` and checked by `openapi-spec-validator`.
///
/// It describes the server as built: the five dashboard resources and `/health`,
/// `/health/dashboard`, `/metrics` and `/openapi.json`, each with GET and HEAD; every query
/// parameter with its type, pattern, enumeration or range; the bearer JWT scheme; the full
/// schema of every body (money as `^-?[0-9]+\.[0-9]{2}$` strings, percentages as
/// number-or-null, dates, uuids); the statuses of each route (the per-tenant rate limit's
/// `429` included; `405` and the parser's errors are described once, in `info`); and the
/// headers (`ETag`, `X-Cache`, `X-Request-ID`, `Cache-Control`, `Vary`, `WWW-Authenticate`,
/// `Retry-After`, `Server-Timing`, `X-RateLimit-*`, `Access-Control-Allow-Origin`), each on
/// the answers that carry it. Response schemas are closed (`additionalProperties: false`), so
/// a test can validate real answers against them.
///
/// Each thing is said once: a response, header, parameter or schema used in more than one
/// place is a component (`components/responses`, `headers`, `parameters`, `schemas`) that
/// each place references with `$ref`, e.g. the dashboard routes' problems (`BadRequest` ...
/// `ServiceUnavailable`), their `304` (`NotModified`) and their HEAD `200`
/// (`DashboardFiguresHead`). GET and HEAD stay separate operations and never share a
/// response: HEAD's has no body and says so, hence `BadRequestHead` ... `ServiceUnavailableHead`.
/// OpenAPI cannot reference a response's map of headers as a whole, so that map is repeated
/// (each header in it a `$ref`) in responses that differ in anything else.
/// `docs/api.md` is the prose companion of this document; change both together.
public enum OpenAPIDocument {
    /// The document as UTF-8 JSON bytes, ready to be sent as a response body.
    public static let json: [UInt8] = Array(text.utf8)

    /// The JSON text. A raw string literal, so the backslashes of the regular expressions
    /// reach the JSON exactly as written here.
    static let text = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "findash",
        "version": "0.1.0",
        "summary": "Multi-tenant financial dashboard API.",
        "description": "A tenant's balances, cash flow, spending by category, trends and budget alerts, computed exactly by PostgreSQL and cached. The tenant comes from the bearer token only.\n\nMoney is a JSON string with exactly two decimals; totals are per currency and never added across currencies; percentages are JSON numbers rounded half away from zero to 2 decimals, or null where the denominator is zero.\n\nEvery route answers GET and HEAD. OPTIONS answers a CORS preflight (204) when CORS_ALLOWED_ORIGINS is set; any other method gets 405 with an Allow header. Unknown paths get 404. Requests the HTTP parser rejects get a problem with 400, 408, 413, 414, 431, 501 or 505 and Connection: close. Every response carries X-Request-ID and X-Content-Type-Options: nosniff; every error is application/problem+json (RFC 9457).\n\nDashboard answers given after a valid token (200, 304, and the 400, 429, 500 and 503 problems) carry Server-Timing: auth, cache, db, encode and total, in milliseconds. With RATE_LIMIT_RPS set, each tenant has a token bucket of RATE_LIMIT_BURST requests refilled at RATE_LIMIT_RPS per second: every request with a valid token takes one, those answers carry X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset, and a request that finds the bucket empty gets 429 with Retry-After. With CORS_ALLOWED_ORIGINS set, every answer carries Vary: Origin, and answers to a listed Origin carry Access-Control-Allow-Origin (errors included, except those of the HTTP parser).",
        "license": {
          "name": "Proprietary",
          "identifier": "LicenseRef-Proprietary"
        }
      },
      "tags": [
        {
          "name": "dashboard",
          "description": "Tenant figures; bearer token with scope dashboard:read."
        },
        {
          "name": "operations",
          "description": "Health, metrics and this document; no authentication."
        }
      ],
      "paths": {
        "/financial/dashboard": {
          "parameters": [
            {
              "$ref": "#/components/parameters/from"
            },
            {
              "$ref": "#/components/parameters/to"
            },
            {
              "$ref": "#/components/parameters/as_of"
            },
            {
              "$ref": "#/components/parameters/granularity"
            },
            {
              "$ref": "#/components/parameters/top"
            },
            {
              "$ref": "#/components/parameters/include_inactive"
            },
            {
              "$ref": "#/components/parameters/If-None-Match"
            },
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getDashboard",
            "tags": [
              "dashboard"
            ],
            "summary": "Get the whole dashboard",
            "description": "Summary, accounts, transactions and budgets for the same parameters, computed from one consistent snapshot. Every parameter applies. Every parameter is validated on every dashboard endpoint, whether or not it affects the answer; unknown parameters are ignored and the first value of a repeated parameter counts.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "description": "The figures.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "ETag": {
                    "$ref": "#/components/headers/ETag"
                  },
                  "X-Cache": {
                    "$ref": "#/components/headers/X-Cache"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-Dashboard"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary"
                  },
                  "Server-Timing": {
                    "$ref": "#/components/headers/Server-Timing"
                  },
                  "X-RateLimit-Limit": {
                    "$ref": "#/components/headers/X-RateLimit-Limit"
                  },
                  "X-RateLimit-Remaining": {
                    "$ref": "#/components/headers/X-RateLimit-Remaining"
                  },
                  "X-RateLimit-Reset": {
                    "$ref": "#/components/headers/X-RateLimit-Reset"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/DashboardResponse"
                    }
                  }
                }
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabled"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "head": {
            "operationId": "headDashboard",
            "tags": [
              "dashboard"
            ],
            "summary": "Headers of get the whole dashboard",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "$ref": "#/components/responses/DashboardFiguresHead"
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequestHead"
              },
              "401": {
                "$ref": "#/components/responses/UnauthorizedHead"
              },
              "403": {
                "$ref": "#/components/responses/ForbiddenHead"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabledHead"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequestsHead"
              },
              "500": {
                "$ref": "#/components/responses/InternalErrorHead"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailableHead"
              }
            }
          }
        },
        "/financial/dashboard/summary": {
          "parameters": [
            {
              "$ref": "#/components/parameters/from"
            },
            {
              "$ref": "#/components/parameters/to"
            },
            {
              "$ref": "#/components/parameters/as_of"
            },
            {
              "$ref": "#/components/parameters/granularity"
            },
            {
              "$ref": "#/components/parameters/top"
            },
            {
              "$ref": "#/components/parameters/include_inactive"
            },
            {
              "$ref": "#/components/parameters/If-None-Match"
            },
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getDashboardSummary",
            "tags": [
              "dashboard"
            ],
            "summary": "Get the summary",
            "description": "Balances and cash flow per currency, counts, and budget status counts. Uses from, to and as_of. Every parameter is validated on every dashboard endpoint, whether or not it affects the answer; unknown parameters are ignored and the first value of a repeated parameter counts.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "description": "The figures.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "ETag": {
                    "$ref": "#/components/headers/ETag"
                  },
                  "X-Cache": {
                    "$ref": "#/components/headers/X-Cache"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-Dashboard"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary"
                  },
                  "Server-Timing": {
                    "$ref": "#/components/headers/Server-Timing"
                  },
                  "X-RateLimit-Limit": {
                    "$ref": "#/components/headers/X-RateLimit-Limit"
                  },
                  "X-RateLimit-Remaining": {
                    "$ref": "#/components/headers/X-RateLimit-Remaining"
                  },
                  "X-RateLimit-Reset": {
                    "$ref": "#/components/headers/X-RateLimit-Reset"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/SummaryResponse"
                    }
                  }
                }
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabled"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "head": {
            "operationId": "headDashboardSummary",
            "tags": [
              "dashboard"
            ],
            "summary": "Headers of get the summary",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "$ref": "#/components/responses/DashboardFiguresHead"
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequestHead"
              },
              "401": {
                "$ref": "#/components/responses/UnauthorizedHead"
              },
              "403": {
                "$ref": "#/components/responses/ForbiddenHead"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabledHead"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequestsHead"
              },
              "500": {
                "$ref": "#/components/responses/InternalErrorHead"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailableHead"
              }
            }
          }
        },
        "/financial/dashboard/accounts": {
          "parameters": [
            {
              "$ref": "#/components/parameters/from"
            },
            {
              "$ref": "#/components/parameters/to"
            },
            {
              "$ref": "#/components/parameters/as_of"
            },
            {
              "$ref": "#/components/parameters/granularity"
            },
            {
              "$ref": "#/components/parameters/top"
            },
            {
              "$ref": "#/components/parameters/include_inactive"
            },
            {
              "$ref": "#/components/parameters/If-None-Match"
            },
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getDashboardAccounts",
            "tags": [
              "dashboard"
            ],
            "summary": "Get the accounts",
            "description": "Accounts with their period inflow and outflow. Uses from, to and include_inactive. Every parameter is validated on every dashboard endpoint, whether or not it affects the answer; unknown parameters are ignored and the first value of a repeated parameter counts.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "description": "The figures.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "ETag": {
                    "$ref": "#/components/headers/ETag"
                  },
                  "X-Cache": {
                    "$ref": "#/components/headers/X-Cache"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-Dashboard"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary"
                  },
                  "Server-Timing": {
                    "$ref": "#/components/headers/Server-Timing"
                  },
                  "X-RateLimit-Limit": {
                    "$ref": "#/components/headers/X-RateLimit-Limit"
                  },
                  "X-RateLimit-Remaining": {
                    "$ref": "#/components/headers/X-RateLimit-Remaining"
                  },
                  "X-RateLimit-Reset": {
                    "$ref": "#/components/headers/X-RateLimit-Reset"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/AccountsResponse"
                    }
                  }
                }
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabled"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "head": {
            "operationId": "headDashboardAccounts",
            "tags": [
              "dashboard"
            ],
            "summary": "Headers of get the accounts",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "$ref": "#/components/responses/DashboardFiguresHead"
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequestHead"
              },
              "401": {
                "$ref": "#/components/responses/UnauthorizedHead"
              },
              "403": {
                "$ref": "#/components/responses/ForbiddenHead"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabledHead"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequestsHead"
              },
              "500": {
                "$ref": "#/components/responses/InternalErrorHead"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailableHead"
              }
            }
          }
        },
        "/financial/dashboard/transactions": {
          "parameters": [
            {
              "$ref": "#/components/parameters/from"
            },
            {
              "$ref": "#/components/parameters/to"
            },
            {
              "$ref": "#/components/parameters/as_of"
            },
            {
              "$ref": "#/components/parameters/granularity"
            },
            {
              "$ref": "#/components/parameters/top"
            },
            {
              "$ref": "#/components/parameters/include_inactive"
            },
            {
              "$ref": "#/components/parameters/If-None-Match"
            },
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getDashboardTransactions",
            "tags": [
              "dashboard"
            ],
            "summary": "Get the transaction analytics",
            "description": "Income, expenses, categories, trend and previous-period comparison per currency. Uses from, to, granularity and top. Every parameter is validated on every dashboard endpoint, whether or not it affects the answer; unknown parameters are ignored and the first value of a repeated parameter counts.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "description": "The figures.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "ETag": {
                    "$ref": "#/components/headers/ETag"
                  },
                  "X-Cache": {
                    "$ref": "#/components/headers/X-Cache"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-Dashboard"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary"
                  },
                  "Server-Timing": {
                    "$ref": "#/components/headers/Server-Timing"
                  },
                  "X-RateLimit-Limit": {
                    "$ref": "#/components/headers/X-RateLimit-Limit"
                  },
                  "X-RateLimit-Remaining": {
                    "$ref": "#/components/headers/X-RateLimit-Remaining"
                  },
                  "X-RateLimit-Reset": {
                    "$ref": "#/components/headers/X-RateLimit-Reset"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/TransactionsResponse"
                    }
                  }
                }
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabled"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "head": {
            "operationId": "headDashboardTransactions",
            "tags": [
              "dashboard"
            ],
            "summary": "Headers of get the transaction analytics",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "$ref": "#/components/responses/DashboardFiguresHead"
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequestHead"
              },
              "401": {
                "$ref": "#/components/responses/UnauthorizedHead"
              },
              "403": {
                "$ref": "#/components/responses/ForbiddenHead"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabledHead"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequestsHead"
              },
              "500": {
                "$ref": "#/components/responses/InternalErrorHead"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailableHead"
              }
            }
          }
        },
        "/financial/dashboard/budgets": {
          "parameters": [
            {
              "$ref": "#/components/parameters/from"
            },
            {
              "$ref": "#/components/parameters/to"
            },
            {
              "$ref": "#/components/parameters/as_of"
            },
            {
              "$ref": "#/components/parameters/granularity"
            },
            {
              "$ref": "#/components/parameters/top"
            },
            {
              "$ref": "#/components/parameters/include_inactive"
            },
            {
              "$ref": "#/components/parameters/If-None-Match"
            },
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getDashboardBudgets",
            "tags": [
              "dashboard"
            ],
            "summary": "Get the budgets",
            "description": "Budgets in the period containing as_of, with spending, status and alert. Uses as_of (whose default is `to`). Every parameter is validated on every dashboard endpoint, whether or not it affects the answer; unknown parameters are ignored and the first value of a repeated parameter counts.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "description": "The figures.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "ETag": {
                    "$ref": "#/components/headers/ETag"
                  },
                  "X-Cache": {
                    "$ref": "#/components/headers/X-Cache"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-Dashboard"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary"
                  },
                  "Server-Timing": {
                    "$ref": "#/components/headers/Server-Timing"
                  },
                  "X-RateLimit-Limit": {
                    "$ref": "#/components/headers/X-RateLimit-Limit"
                  },
                  "X-RateLimit-Remaining": {
                    "$ref": "#/components/headers/X-RateLimit-Remaining"
                  },
                  "X-RateLimit-Reset": {
                    "$ref": "#/components/headers/X-RateLimit-Reset"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/BudgetsResponse"
                    }
                  }
                }
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequest"
              },
              "401": {
                "$ref": "#/components/responses/Unauthorized"
              },
              "403": {
                "$ref": "#/components/responses/Forbidden"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabled"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequests"
              },
              "500": {
                "$ref": "#/components/responses/InternalError"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailable"
              }
            }
          },
          "head": {
            "operationId": "headDashboardBudgets",
            "tags": [
              "dashboard"
            ],
            "summary": "Headers of get the budgets",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [
              {
                "bearerAuth": []
              }
            ],
            "responses": {
              "200": {
                "$ref": "#/components/responses/DashboardFiguresHead"
              },
              "304": {
                "$ref": "#/components/responses/NotModified"
              },
              "400": {
                "$ref": "#/components/responses/BadRequestHead"
              },
              "401": {
                "$ref": "#/components/responses/UnauthorizedHead"
              },
              "403": {
                "$ref": "#/components/responses/ForbiddenHead"
              },
              "404": {
                "$ref": "#/components/responses/DashboardDisabledHead"
              },
              "429": {
                "$ref": "#/components/responses/TooManyRequestsHead"
              },
              "500": {
                "$ref": "#/components/responses/InternalErrorHead"
              },
              "503": {
                "$ref": "#/components/responses/ServiceUnavailableHead"
              }
            }
          }
        },
        "/health": {
          "parameters": [
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getHealth",
            "tags": [
              "operations"
            ],
            "summary": "Liveness",
            "description": "Touches no dependency; answers 200 while the process serves HTTP.",
            "security": [],
            "responses": {
              "200": {
                "description": "The process is up.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Health"
                    },
                    "example": {
                      "status": "ok"
                    }
                  }
                }
              }
            }
          },
          "head": {
            "operationId": "headHealth",
            "tags": [
              "operations"
            ],
            "summary": "Headers of liveness",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [],
            "responses": {
              "200": {
                "description": "The process is up. HEAD: the same status and headers, no body.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                }
              }
            }
          }
        },
        "/health/dashboard": {
          "parameters": [
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getHealthDashboard",
            "tags": [
              "operations"
            ],
            "summary": "Readiness",
            "description": "A real database round trip (SELECT 1 on a dedicated connection) and a memcached probe, on a thread of their own, answered within 2 s. Concurrent probes share one check. No authentication.",
            "security": [],
            "responses": {
              "200": {
                "description": "healthy, or degraded (memcached unreachable).",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/DashboardHealth"
                    },
                    "example": {
                      "status": "healthy",
                      "timestamp": "2026-11-21T10:00:00Z",
                      "version": "0.1.0",
                      "services": {
                        "database": {
                          "status": "up",
                          "latency_ms": 1.2
                        },
                        "cache": {
                          "status": "up",
                          "kind": "memcached",
                          "latency_ms": 0.1
                        },
                        "dashboard": {
                          "status": "enabled"
                        }
                      }
                    }
                  }
                }
              },
              "503": {
                "description": "unhealthy: the database is unreachable.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/DashboardHealth"
                    }
                  }
                }
              }
            }
          },
          "head": {
            "operationId": "headHealthDashboard",
            "tags": [
              "operations"
            ],
            "summary": "Headers of readiness",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [],
            "responses": {
              "200": {
                "description": "healthy, or degraded (memcached unreachable). HEAD: the same status and headers, no body.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                }
              },
              "503": {
                "description": "unhealthy: the database is unreachable. HEAD: the same status and headers, no body.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                }
              }
            }
          }
        },
        "/metrics": {
          "parameters": [
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getMetrics",
            "tags": [
              "operations"
            ],
            "summary": "Prometheus metrics",
            "description": "Prometheus text format 0.0.4: dashboard_requests_total, dashboard_request_duration_seconds, dashboard_cache_*, dashboard_db_pool_*, dashboard_worker_queue, dashboard_http_connections, dashboard_active_tenants and process_* metrics. Only for clients whose address is listed in METRICS_ALLOW (default 127.0.0.1,::1); any other client gets 404 as if the route did not exist. With METRICS_PORT set, /metrics is served on that port instead, to any client that can reach it (METRICS_ALLOW no longer applies: network policy decides), and on the main port this route answers 404. On METRICS_PORT any other path gets 404 and any other method 405, without CORS fields.",
            "security": [],
            "responses": {
              "200": {
                "description": "The metrics.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "text/plain": {
                    "schema": {
                      "type": "string"
                    }
                  }
                }
              },
              "404": {
                "description": "The client's address is not in METRICS_ALLOW, or METRICS_PORT is set (/metrics is then served on that port only).",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/problem+json": {
                    "schema": {
                      "$ref": "#/components/schemas/Problem"
                    },
                    "example": {
                      "type": "about:blank",
                      "title": "Not Found",
                      "status": 404,
                      "detail": "No such resource."
                    }
                  }
                }
              }
            }
          },
          "head": {
            "operationId": "headMetrics",
            "tags": [
              "operations"
            ],
            "summary": "Headers of prometheus metrics",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [],
            "responses": {
              "200": {
                "description": "The metrics. HEAD: the same status and headers, no body.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                }
              },
              "404": {
                "description": "The client's address is not in METRICS_ALLOW, or METRICS_PORT is set (/metrics is then served on that port only). HEAD: the same status and headers, no body.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-NoStore"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                }
              }
            }
          }
        },
        "/openapi.json": {
          "parameters": [
            {
              "$ref": "#/components/parameters/X-Request-ID"
            }
          ],
          "get": {
            "operationId": "getOpenAPIDocument",
            "tags": [
              "operations"
            ],
            "summary": "This OpenAPI document",
            "description": "The OpenAPI 3.1 description of this server's API.",
            "security": [],
            "responses": {
              "200": {
                "description": "The document.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-OpenAPI"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                },
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object"
                    }
                  }
                }
              }
            }
          },
          "head": {
            "operationId": "headOpenAPIDocument",
            "tags": [
              "operations"
            ],
            "summary": "Headers of this OpenAPI document",
            "description": "As GET, without the body: the status and headers (Content-Length included) are the GET's.",
            "security": [],
            "responses": {
              "200": {
                "description": "The document. HEAD: the same status and headers, no body.",
                "headers": {
                  "X-Request-ID": {
                    "$ref": "#/components/headers/X-Request-ID"
                  },
                  "X-Content-Type-Options": {
                    "$ref": "#/components/headers/X-Content-Type-Options"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/Cache-Control-OpenAPI"
                  },
                  "Vary": {
                    "$ref": "#/components/headers/Vary-Origin"
                  },
                  "Access-Control-Allow-Origin": {
                    "$ref": "#/components/headers/Access-Control-Allow-Origin"
                  }
                }
              }
            }
          }
        }
      },
      "components": {
        "schemas": {
          "Money": {
            "type": "string",
            "pattern": "^-?[0-9]+\\.[0-9]{2}$",
            "description": "An exact decimal amount with exactly two decimals, as a string (never a binary float). Zero is \"0.00\", never \"-0.00\". Sums are exact whatever their size, so the integer part may have more than 17 digits.",
            "examples": [
              "-1234.50",
              "0.00",
              "15000.00"
            ]
          },
          "NetAmount": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Money"
              }
            ],
            "description": "income - expenses."
          },
          "Percentage": {
            "type": [
              "number",
              "null"
            ],
            "description": "A percentage rounded half away from zero to 2 decimals, computed exactly from exact values. Written as a JSON number with trailing zeros trimmed (80.0, 12.5, 82.46). null where the denominator is zero.",
            "examples": [
              82.46,
              80.0,
              null
            ]
          },
          "Date": {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar day (UTC), YYYY-MM-DD.",
            "examples": [
              "2026-11-21"
            ]
          },
          "DateParameter": {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
          },
          "Timestamp": {
            "type": "string",
            "format": "date-time",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
            "description": "An RFC 3339 UTC timestamp with second precision.",
            "examples": [
              "2026-11-21T10:00:00Z"
            ]
          },
          "Uuid": {
            "type": "string",
            "format": "uuid",
            "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "description": "A uuid in lowercase canonical form, as PostgreSQL prints it."
          },
          "RequestId": {
            "type": "string",
            "pattern": "^[A-Za-z0-9._:-]{1,128}$"
          },
          "Currency": {
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "An ISO 4217 currency code.",
            "examples": [
              "USD"
            ]
          },
          "Category": {
            "type": "string",
            "description": "A transaction category; a null category and the literal 'uncategorized' are both reported as \"uncategorized\".",
            "examples": [
              "groceries",
              "uncategorized"
            ]
          },
          "Granularity": {
            "type": "string",
            "enum": [
              "day",
              "week",
              "month"
            ]
          },
          "Tenant": {
            "type": "object",
            "description": "The tenant the token names (never taken from the URL, a header or a parameter).",
            "additionalProperties": false,
            "required": [
              "type",
              "id"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "user",
                  "organization"
                ]
              },
              "id": {
                "type": "string",
                "pattern": "^[A-Za-z0-9_.-]{1,64}$"
              }
            }
          },
          "Period": {
            "type": "object",
            "description": "The inclusive date range the figures cover.",
            "additionalProperties": false,
            "required": [
              "from",
              "to"
            ],
            "properties": {
              "from": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  }
                ],
                "description": "First day of the range."
              },
              "to": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  }
                ],
                "description": "Last day of the range."
              }
            }
          },
          "SummaryCurrency": {
            "type": "object",
            "description": "One currency's balances and cash flow. Only accounts and transactions in this currency count.",
            "additionalProperties": false,
            "required": [
              "currency",
              "total_assets",
              "total_liabilities",
              "net_worth",
              "income",
              "expenses",
              "net_cash_flow",
              "savings_rate"
            ],
            "properties": {
              "currency": {
                "$ref": "#/components/schemas/Currency"
              },
              "total_assets": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Sum of the balances of active checking, savings, cash and investment accounts."
              },
              "total_liabilities": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of the balances of active credit_card and loan accounts."
              },
              "net_worth": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "total_assets - total_liabilities."
              },
              "income": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Sum of the period's income amounts (inactive accounts included)."
              },
              "expenses": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of the period's expense amounts (transfers excluded)."
              },
              "net_cash_flow": {
                "$ref": "#/components/schemas/NetAmount"
              },
              "savings_rate": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Percentage"
                  }
                ],
                "description": "net_cash_flow / income x 100; null when income is zero."
              }
            }
          },
          "SummaryCurrencies": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/SummaryCurrency"
            },
            "description": "One entry per currency with an active account or a transaction in the period, sorted by code."
          },
          "BudgetCounts": {
            "type": "object",
            "description": "The budgets that /financial/dashboard/budgets lists for the same parameters, counted by status.",
            "additionalProperties": false,
            "required": [
              "total",
              "on_track",
              "warning",
              "over_budget"
            ],
            "properties": {
              "total": {
                "type": "integer",
                "minimum": 0,
                "description": "Number of budgets listed."
              },
              "on_track": {
                "type": "integer",
                "minimum": 0,
                "description": "Budgets with status on_track."
              },
              "warning": {
                "type": "integer",
                "minimum": 0,
                "description": "Budgets with status warning."
              },
              "over_budget": {
                "type": "integer",
                "minimum": 0,
                "description": "Budgets with status over_budget."
              }
            }
          },
          "AccountsCount": {
            "type": "integer",
            "minimum": 0,
            "description": "Number of active accounts."
          },
          "TransactionsCount": {
            "type": "integer",
            "minimum": 0,
            "description": "Number of the period's transactions, all kinds and currencies."
          },
          "SummaryMembers": {
            "type": "object",
            "description": "The summary's figures (the `summary` member of /financial/dashboard).",
            "additionalProperties": false,
            "required": [
              "currencies",
              "accounts_count",
              "transactions_count",
              "budgets"
            ],
            "properties": {
              "currencies": {
                "$ref": "#/components/schemas/SummaryCurrencies"
              },
              "accounts_count": {
                "$ref": "#/components/schemas/AccountsCount"
              },
              "transactions_count": {
                "$ref": "#/components/schemas/TransactionsCount"
              },
              "budgets": {
                "$ref": "#/components/schemas/BudgetCounts"
              }
            }
          },
          "Account": {
            "type": "object",
            "description": "An account with its figures over the period.",
            "additionalProperties": false,
            "required": [
              "id",
              "name",
              "type",
              "currency",
              "balance",
              "is_active",
              "period_inflow",
              "period_outflow",
              "transactions_count",
              "last_transaction_on"
            ],
            "properties": {
              "id": {
                "$ref": "#/components/schemas/Uuid"
              },
              "name": {
                "type": "string"
              },
              "type": {
                "type": "string",
                "enum": [
                  "checking",
                  "savings",
                  "cash",
                  "investment",
                  "credit_card",
                  "loan"
                ]
              },
              "currency": {
                "$ref": "#/components/schemas/Currency"
              },
              "balance": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Current balance (a liability's is negative or zero)."
              },
              "is_active": {
                "type": "boolean"
              },
              "period_inflow": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Sum of the account's positive amounts in the period, in its own currency (all kinds, transfers included)."
              },
              "period_outflow": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of the account's negative amounts in the period, in its own currency (all kinds, transfers included)."
              },
              "transactions_count": {
                "type": "integer",
                "minimum": 0,
                "description": "Number of the account's transactions in the period (any currency)."
              },
              "last_transaction_on": {
                "anyOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  },
                  {
                    "type": "null"
                  }
                ],
                "description": "The account's latest booked_on not after `to` (may be before `from`), or null."
              }
            }
          },
          "LargestExpense": {
            "type": "object",
            "description": "The expense transaction with the lowest amount (ties: earliest booked_on, then smallest id).",
            "additionalProperties": false,
            "required": [
              "id",
              "amount",
              "description",
              "category",
              "booked_on"
            ],
            "properties": {
              "id": {
                "$ref": "#/components/schemas/Uuid"
              },
              "amount": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "The transaction's signed amount (negative for an outflow)."
              },
              "description": {
                "type": "string"
              },
              "category": {
                "$ref": "#/components/schemas/Category"
              },
              "booked_on": {
                "$ref": "#/components/schemas/Date"
              }
            }
          },
          "CategoryExpense": {
            "type": "object",
            "description": "Expenses of one category in one currency.",
            "additionalProperties": false,
            "required": [
              "category",
              "expenses",
              "count",
              "share"
            ],
            "properties": {
              "category": {
                "$ref": "#/components/schemas/Category"
              },
              "expenses": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of the category's expense amounts (refunds lower it)."
              },
              "count": {
                "type": "integer",
                "minimum": 0,
                "description": "Number of the category's expense transactions."
              },
              "share": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Percentage"
                  }
                ],
                "description": "Category expenses / the currency's expenses x 100; null when the currency's expenses are zero."
              }
            }
          },
          "TrendBucket": {
            "type": "object",
            "description": "One day, ISO week (Monday first) or calendar month; counts only days inside the period.",
            "additionalProperties": false,
            "required": [
              "start",
              "income",
              "expenses",
              "net"
            ],
            "properties": {
              "start": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  }
                ],
                "description": "The bucket's first day (a week or month bucket may start before `from`)."
              },
              "income": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Sum of the bucket's income amounts."
              },
              "expenses": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of the bucket's expense amounts (negative when it holds only refunds)."
              },
              "net": {
                "$ref": "#/components/schemas/NetAmount"
              }
            }
          },
          "PreviousPeriod": {
            "type": "object",
            "description": "The range of the same number of days ending the day before `from`.",
            "additionalProperties": false,
            "required": [
              "from",
              "to",
              "income",
              "expenses",
              "expenses_change_pct"
            ],
            "properties": {
              "from": {
                "$ref": "#/components/schemas/Date"
              },
              "to": {
                "$ref": "#/components/schemas/Date"
              },
              "income": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Income of that range in this currency."
              },
              "expenses": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Expenses of that range in this currency."
              },
              "expenses_change_pct": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Percentage"
                  }
                ],
                "description": "(expenses - previous expenses) / previous expenses x 100; null when previous expenses are zero."
              }
            }
          },
          "TransactionCurrency": {
            "type": "object",
            "description": "One currency's transaction analytics over the period.",
            "additionalProperties": false,
            "required": [
              "currency",
              "income",
              "expenses",
              "net",
              "count",
              "average_expense",
              "largest_expense",
              "by_category",
              "trend",
              "previous_period"
            ],
            "properties": {
              "currency": {
                "$ref": "#/components/schemas/Currency"
              },
              "income": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Sum of income amounts."
              },
              "expenses": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of expense amounts."
              },
              "net": {
                "$ref": "#/components/schemas/NetAmount"
              },
              "count": {
                "type": "integer",
                "minimum": 0,
                "description": "Number of this currency's transactions in the period, all kinds."
              },
              "average_expense": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "expenses / number of expense transactions, rounded half away from zero to cents; \"0.00\" when there are none."
              },
              "largest_expense": {
                "anyOf": [
                  {
                    "$ref": "#/components/schemas/LargestExpense"
                  },
                  {
                    "type": "null"
                  }
                ],
                "description": "null when the currency has no expense transaction."
              },
              "by_category": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/CategoryExpense"
                },
                "description": "Categories with at least one expense transaction, largest expenses first (ties by category name, byte-wise), at most `top`."
              },
              "trend": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/TrendBucket"
                },
                "description": "Every bucket overlapping the period, in order, zero-filled."
              },
              "previous_period": {
                "$ref": "#/components/schemas/PreviousPeriod"
              }
            }
          },
          "TransactionCurrencies": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/TransactionCurrency"
            },
            "description": "One entry per currency with a transaction in the period, sorted by code."
          },
          "TransactionMembers": {
            "type": "object",
            "description": "The transaction analytics (the `transactions` member of /financial/dashboard).",
            "additionalProperties": false,
            "required": [
              "granularity",
              "currencies"
            ],
            "properties": {
              "granularity": {
                "$ref": "#/components/schemas/Granularity"
              },
              "currencies": {
                "$ref": "#/components/schemas/TransactionCurrencies"
              }
            }
          },
          "BudgetAlert": {
            "type": "object",
            "description": "Present when a budget is not on track.",
            "additionalProperties": false,
            "required": [
              "level",
              "message"
            ],
            "properties": {
              "level": {
                "type": "string",
                "enum": [
                  "warning",
                  "critical"
                ],
                "description": "critical when over budget, else warning."
              },
              "message": {
                "type": "string",
                "description": "Free text for people, e.g. \"Groceries has used 82.46% of its monthly budget\" or \"Groceries is over its monthly budget: 104.5% used\"."
              }
            }
          },
          "Budget": {
            "type": "object",
            "description": "A budget's state in the period containing `as_of`.",
            "additionalProperties": false,
            "required": [
              "id",
              "name",
              "category",
              "currency",
              "period",
              "period_start",
              "period_end",
              "budgeted",
              "spent",
              "remaining",
              "percent_used",
              "alert_threshold",
              "status",
              "alert",
              "projected_spend",
              "days_elapsed",
              "days_remaining"
            ],
            "properties": {
              "id": {
                "$ref": "#/components/schemas/Uuid"
              },
              "name": {
                "type": "string"
              },
              "category": {
                "type": "string"
              },
              "currency": {
                "$ref": "#/components/schemas/Currency"
              },
              "period": {
                "type": "string",
                "enum": [
                  "weekly",
                  "monthly",
                  "quarterly",
                  "yearly"
                ]
              },
              "period_start": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  }
                ],
                "description": "First day of the calendar period containing as_of, not before starts_on."
              },
              "period_end": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  }
                ],
                "description": "Last day of that period, not after ends_on."
              },
              "budgeted": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "The limit per period."
              },
              "spent": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "Minus the sum of expense amounts in the budget's category and currency from period_start to as_of (refunds lower it)."
              },
              "remaining": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "budgeted - spent (may be negative)."
              },
              "percent_used": {
                "type": "number",
                "description": "spent / budgeted x 100, rounded half away from zero to 2 decimals (never null: budgeted > 0)."
              },
              "alert_threshold": {
                "type": "number",
                "description": "The alert threshold x 100, trailing zeros trimmed, e.g. 80.0."
              },
              "status": {
                "type": "string",
                "enum": [
                  "on_track",
                  "warning",
                  "over_budget"
                ],
                "description": "over_budget when spent > budgeted, else warning when spent >= threshold x budgeted (compared exactly), else on_track."
              },
              "alert": {
                "anyOf": [
                  {
                    "$ref": "#/components/schemas/BudgetAlert"
                  },
                  {
                    "type": "null"
                  }
                ],
                "description": "null when on track."
              },
              "projected_spend": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Money"
                  }
                ],
                "description": "spent / days_elapsed x (days_elapsed + days_remaining), rounded half away from zero to cents."
              },
              "days_elapsed": {
                "type": "integer",
                "minimum": 1,
                "description": "Days period_start..as_of inclusive."
              },
              "days_remaining": {
                "type": "integer",
                "minimum": 0,
                "description": "Days after as_of up to period_end."
              }
            }
          },
          "SummaryResponse": {
            "type": "object",
            "description": "GET /financial/dashboard/summary.",
            "additionalProperties": false,
            "required": [
              "tenant",
              "period",
              "currencies",
              "accounts_count",
              "transactions_count",
              "budgets",
              "generated_at"
            ],
            "properties": {
              "tenant": {
                "$ref": "#/components/schemas/Tenant"
              },
              "period": {
                "$ref": "#/components/schemas/Period"
              },
              "currencies": {
                "$ref": "#/components/schemas/SummaryCurrencies"
              },
              "accounts_count": {
                "$ref": "#/components/schemas/AccountsCount"
              },
              "transactions_count": {
                "$ref": "#/components/schemas/TransactionsCount"
              },
              "budgets": {
                "$ref": "#/components/schemas/BudgetCounts"
              },
              "generated_at": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Timestamp"
                  }
                ],
                "description": "When the figures were computed (for a cached answer: when it was cached)."
              }
            }
          },
          "AccountsResponse": {
            "type": "object",
            "description": "GET /financial/dashboard/accounts.",
            "additionalProperties": false,
            "required": [
              "period",
              "accounts"
            ],
            "properties": {
              "period": {
                "$ref": "#/components/schemas/Period"
              },
              "accounts": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Account"
                },
                "description": "Active accounts (all with include_inactive=true), sorted by type, then name, then id, each compared byte-wise."
              }
            }
          },
          "TransactionsResponse": {
            "type": "object",
            "description": "GET /financial/dashboard/transactions.",
            "additionalProperties": false,
            "required": [
              "period",
              "granularity",
              "currencies"
            ],
            "properties": {
              "period": {
                "$ref": "#/components/schemas/Period"
              },
              "granularity": {
                "$ref": "#/components/schemas/Granularity"
              },
              "currencies": {
                "$ref": "#/components/schemas/TransactionCurrencies"
              }
            }
          },
          "BudgetsResponse": {
            "type": "object",
            "description": "GET /financial/dashboard/budgets.",
            "additionalProperties": false,
            "required": [
              "as_of",
              "budgets"
            ],
            "properties": {
              "as_of": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Date"
                  }
                ],
                "description": "The reference day."
              },
              "budgets": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Budget"
                },
                "description": "Active budgets with starts_on <= as_of and (ends_on null or >= as_of), sorted by name (byte-wise), then id."
              }
            }
          },
          "DashboardResponse": {
            "type": "object",
            "description": "GET /financial/dashboard: all four, computed by one SQL statement from one consistent snapshot. Each member holds exactly what the single endpoint returns under that name.",
            "additionalProperties": false,
            "required": [
              "tenant",
              "period",
              "as_of",
              "summary",
              "accounts",
              "transactions",
              "budgets",
              "generated_at"
            ],
            "properties": {
              "tenant": {
                "$ref": "#/components/schemas/Tenant"
              },
              "period": {
                "$ref": "#/components/schemas/Period"
              },
              "as_of": {
                "$ref": "#/components/schemas/Date"
              },
              "summary": {
                "$ref": "#/components/schemas/SummaryMembers"
              },
              "accounts": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Account"
                }
              },
              "transactions": {
                "$ref": "#/components/schemas/TransactionMembers"
              },
              "budgets": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/Budget"
                }
              },
              "generated_at": {
                "$ref": "#/components/schemas/Timestamp"
              }
            }
          },
          "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details. Never carries a stack trace, SQL text, a host name or a connection string.",
            "additionalProperties": false,
            "required": [
              "type",
              "title",
              "status",
              "detail"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "about:blank",
                "description": "Always about:blank: the status code says what kind of problem it is."
              },
              "title": {
                "type": "string",
                "description": "The status's reason phrase (\"Bad Request\"), the same for every problem of that status."
              },
              "status": {
                "type": "integer",
                "minimum": 400,
                "maximum": 599
              },
              "detail": {
                "type": "string",
                "description": "A fixed sentence; for a 400 about a parameter it names the parameter: \"Invalid parameter 'top': must be an integer from 1 to 100.\""
              }
            }
          },
          "Health": {
            "type": "object",
            "description": "Liveness.",
            "additionalProperties": false,
            "required": [
              "status"
            ],
            "properties": {
              "status": {
                "type": "string",
                "const": "ok"
              }
            }
          },
          "ProbeStatus": {
            "type": "string",
            "enum": [
              "up",
              "down"
            ]
          },
          "ServiceProbe": {
            "type": "object",
            "description": "A dependency probe.",
            "additionalProperties": false,
            "required": [
              "status",
              "latency_ms"
            ],
            "properties": {
              "status": {
                "$ref": "#/components/schemas/ProbeStatus"
              },
              "latency_ms": {
                "type": "number",
                "minimum": 0,
                "description": "Probe time, one decimal."
              }
            }
          },
          "CacheProbe": {
            "type": "object",
            "description": "The cache probe. The in-process cache (no MEMCACHED_SERVERS) is always up.",
            "additionalProperties": false,
            "required": [
              "status",
              "kind",
              "latency_ms"
            ],
            "properties": {
              "status": {
                "$ref": "#/components/schemas/ProbeStatus"
              },
              "kind": {
                "type": "string",
                "enum": [
                  "in-process",
                  "memcached"
                ]
              },
              "latency_ms": {
                "type": "number",
                "minimum": 0
              }
            }
          },
          "DashboardHealth": {
            "type": "object",
            "description": "Readiness: database, cache and dashboard. No tenant data, host names or credentials.",
            "additionalProperties": false,
            "required": [
              "status",
              "timestamp",
              "version",
              "services"
            ],
            "properties": {
              "status": {
                "type": "string",
                "enum": [
                  "healthy",
                  "degraded",
                  "unhealthy"
                ],
                "description": "unhealthy: the database is unreachable (503); degraded: memcached is unreachable (200); healthy otherwise (200)."
              },
              "timestamp": {
                "$ref": "#/components/schemas/Timestamp"
              },
              "version": {
                "type": "string",
                "description": "The server's version."
              },
              "services": {
                "type": "object",
                "description": "Each dependency's state.",
                "additionalProperties": false,
                "required": [
                  "database",
                  "cache",
                  "dashboard"
                ],
                "properties": {
                  "database": {
                    "$ref": "#/components/schemas/ServiceProbe"
                  },
                  "cache": {
                    "$ref": "#/components/schemas/CacheProbe"
                  },
                  "dashboard": {
                    "type": "object",
                    "description": "The feature flag.",
                    "additionalProperties": false,
                    "required": [
                      "status"
                    ],
                    "properties": {
                      "status": {
                        "type": "string",
                        "enum": [
                          "enabled",
                          "disabled"
                        ],
                        "description": "DASHBOARD_ENABLED."
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "NotModified": {
            "description": "The If-None-Match header matched the current ETag: no body, no Content-Length.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "X-Cache": {
                "$ref": "#/components/headers/X-Cache"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-Dashboard"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "BadRequest": {
            "description": "A known parameter has a bad value (the detail names it: from, to, as_of, granularity, top, include_inactive, or `query` when the query string is not valid percent-encoded UTF-8).",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "about:blank",
                  "title": "Bad Request",
                  "status": 400,
                  "detail": "Invalid parameter 'top': must be an integer from 1 to 100."
                }
              }
            }
          },
          "Unauthorized": {
            "description": "The token is missing, malformed, badly signed, expired, or lacks a required claim. Every 401 looks the same.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate-Invalid"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "about:blank",
                  "title": "Unauthorized",
                  "status": 401,
                  "detail": "A valid bearer token is required."
                }
              }
            }
          },
          "Forbidden": {
            "description": "A valid token whose scope lacks dashboard:read.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate-Scope"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "about:blank",
                  "title": "Forbidden",
                  "status": 403,
                  "detail": "The token's scope does not include dashboard:read."
                }
              }
            }
          },
          "DashboardDisabled": {
            "description": "DASHBOARD_ENABLED=false: the dashboard routes are turned off (checked before the token).",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "about:blank",
                  "title": "Not Found",
                  "status": 404,
                  "detail": "The dashboard is not enabled."
                }
              }
            }
          },
          "TooManyRequests": {
            "description": "RATE_LIMIT_RPS is set and this tenant's token bucket is empty (RATE_LIMIT_BURST requests, refilled at RATE_LIMIT_RPS per second; every request with a valid token takes one, whatever its answer). Checked after the token and before the parameters, so a rate-limited request is a 429 whatever its parameters. Retry-After gives the whole seconds until one request is allowed again.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After-RateLimit"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "about:blank",
                  "title": "Too Many Requests",
                  "status": 429,
                  "detail": "Too many requests for this tenant; retry after 1 s."
                }
              }
            }
          },
          "InternalError": {
            "description": "An unexpected database error (for example a schema that `findash migrate` has not created). The X-Request-ID header identifies the request in the server's log.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "about:blank",
                  "title": "Internal Server Error",
                  "status": 500,
                  "detail": "An unexpected error occurred."
                }
              }
            }
          },
          "ServiceUnavailable": {
            "description": "The database is unreachable or did not answer within the request's budget (Retry-After: 5, \"The database is unavailable; try again shortly.\"), or the server is busy (Retry-After: 1, \"The server is busy; try again shortly.\"): every database connection stayed busy, or the request waited so long for a worker thread that less than 50 ms of its budget was left. The budget is DB_STATEMENT_TIMEOUT + 1 s from the request's arrival and covers the worker queue, the wait for a pooled connection, connecting and the statement. Service resumes by itself.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "examples": {
                  "databaseUnavailable": {
                    "summary": "The database is unreachable or too slow (Retry-After: 5)",
                    "value": {
                      "type": "about:blank",
                      "title": "Service Unavailable",
                      "status": 503,
                      "detail": "The database is unavailable; try again shortly."
                    }
                  },
                  "busy": {
                    "summary": "No worker thread or database connection in time (Retry-After: 1)",
                    "value": {
                      "type": "about:blank",
                      "title": "Service Unavailable",
                      "status": 503,
                      "detail": "The server is busy; try again shortly."
                    }
                  }
                }
              }
            }
          },
          "DashboardFiguresHead": {
            "description": "The figures. HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "X-Cache": {
                "$ref": "#/components/headers/X-Cache"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-Dashboard"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "BadRequestHead": {
            "description": "A known parameter has a bad value (the detail names it: from, to, as_of, granularity, top, include_inactive, or `query` when the query string is not valid percent-encoded UTF-8). HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "UnauthorizedHead": {
            "description": "The token is missing, malformed, badly signed, expired, or lacks a required claim. Every 401 looks the same. HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate-Invalid"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "ForbiddenHead": {
            "description": "A valid token whose scope lacks dashboard:read. HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "WWW-Authenticate": {
                "$ref": "#/components/headers/WWW-Authenticate-Scope"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "DashboardDisabledHead": {
            "description": "DASHBOARD_ENABLED=false: the dashboard routes are turned off (checked before the token). HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "TooManyRequestsHead": {
            "description": "RATE_LIMIT_RPS is set and this tenant's token bucket is empty (RATE_LIMIT_BURST requests, refilled at RATE_LIMIT_RPS per second; every request with a valid token takes one, whatever its answer). Checked after the token and before the parameters, so a rate-limited request is a 429 whatever its parameters. Retry-After gives the whole seconds until one request is allowed again. HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After-RateLimit"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "InternalErrorHead": {
            "description": "An unexpected database error (for example a schema that `findash migrate` has not created). The X-Request-ID header identifies the request in the server's log. HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          },
          "ServiceUnavailableHead": {
            "description": "The database is unreachable or did not answer within the request's budget (Retry-After: 5, \"The database is unavailable; try again shortly.\"), or the server is busy (Retry-After: 1, \"The server is busy; try again shortly.\"): every database connection stayed busy, or the request waited so long for a worker thread that less than 50 ms of its budget was left. The budget is DB_STATEMENT_TIMEOUT + 1 s from the request's arrival and covers the worker queue, the wait for a pooled connection, connecting and the statement. Service resumes by itself. HEAD: the same status and headers, no body.",
            "headers": {
              "X-Request-ID": {
                "$ref": "#/components/headers/X-Request-ID"
              },
              "X-Content-Type-Options": {
                "$ref": "#/components/headers/X-Content-Type-Options"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control-NoStore"
              },
              "Retry-After": {
                "$ref": "#/components/headers/Retry-After"
              },
              "Server-Timing": {
                "$ref": "#/components/headers/Server-Timing"
              },
              "X-RateLimit-Limit": {
                "$ref": "#/components/headers/X-RateLimit-Limit"
              },
              "X-RateLimit-Remaining": {
                "$ref": "#/components/headers/X-RateLimit-Remaining"
              },
              "X-RateLimit-Reset": {
                "$ref": "#/components/headers/X-RateLimit-Reset"
              },
              "Vary": {
                "$ref": "#/components/headers/Vary-Origin"
              },
              "Access-Control-Allow-Origin": {
                "$ref": "#/components/headers/Access-Control-Allow-Origin"
              }
            }
          }
        },
        "parameters": {
          "from": {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "First day of the range, inclusive (a real YYYY-MM-DD day). Default: the first day of `to`'s month. from > to, or a range (to - from + 1) over 1,830 days, is a 400.",
            "schema": {
              "$ref": "#/components/schemas/DateParameter"
            },
            "example": "2026-11-01"
          },
          "to": {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Last day of the range, inclusive. Default: today (the server's UTC date).",
            "schema": {
              "$ref": "#/components/schemas/DateParameter"
            },
            "example": "2026-11-21"
          },
          "as_of": {
            "name": "as_of",
            "in": "query",
            "required": false,
            "description": "Reference day for budgets. Default: `to`.",
            "schema": {
              "$ref": "#/components/schemas/DateParameter"
            },
            "example": "2026-11-21"
          },
          "granularity": {
            "name": "granularity",
            "in": "query",
            "required": false,
            "description": "Trend bucket size. Default: day for ranges up to 31 days, week up to 183, else month.",
            "schema": {
              "$ref": "#/components/schemas/Granularity"
            },
            "example": "week"
          },
          "top": {
            "name": "top",
            "in": "query",
            "required": false,
            "description": "Most categories listed in by_category per currency.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 100,
              "default": 10
            },
            "example": 5
          },
          "include_inactive": {
            "name": "include_inactive",
            "in": "query",
            "required": false,
            "description": "List inactive accounts too (exactly `true` or `false`).",
            "schema": {
              "type": "boolean",
              "default": false
            },
            "example": true
          },
          "If-None-Match": {
            "name": "If-None-Match",
            "in": "header",
            "required": false,
            "description": "An ETag from an earlier answer (or *): a match gets 304 without a body.",
            "schema": {
              "type": "string"
            }
          },
          "X-Request-ID": {
            "name": "X-Request-ID",
            "in": "header",
            "required": false,
            "description": "The client's request id, echoed when it is 1-128 characters of [A-Za-z0-9._:-].",
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          }
        },
        "headers": {
          "X-Request-ID": {
            "description": "The request's id: the client's X-Request-ID when it is 1-128 characters of [A-Za-z0-9._:-], else a new one. On every response.",
            "schema": {
              "$ref": "#/components/schemas/RequestId"
            }
          },
          "X-Content-Type-Options": {
            "description": "On every response.",
            "schema": {
              "type": "string",
              "const": "nosniff"
            }
          },
          "ETag": {
            "description": "A strong validator: a 64-bit FNV-1a hash of the body in hex, quoted.",
            "schema": {
              "type": "string",
              "pattern": "^\"[0-9a-f]{16}\"$"
            }
          },
          "X-Cache": {
            "description": "HIT when the answer came from the cache (in-process or memcached), MISS when it was computed by PostgreSQL for this request.",
            "schema": {
              "type": "string",
              "enum": [
                "HIT",
                "MISS"
              ]
            }
          },
          "Server-Timing": {
            "description": "W3C Server Timing, milliseconds with three decimals: auth (verifying the token), cache (cache lookups and stores), db (waiting for a pooled connection, connecting and the statement), encode (the JSON body and its ETag), total (from the request's arrival to this answer; total minus the others is mostly the wait for a worker thread). Stages the request did not reach are 0.000 (a cache hit has db and encode 0.000). On every dashboard answer after a valid token: 200, 304 and the 400, 429, 500 and 503 problems; not on 401, 403 or the 404 of DASHBOARD_ENABLED=false.",
            "schema": {
              "type": "string",
              "pattern": "^auth;dur=[0-9]+\\.[0-9]{3}, cache;dur=[0-9]+\\.[0-9]{3}, db;dur=[0-9]+\\.[0-9]{3}, encode;dur=[0-9]+\\.[0-9]{3}, total;dur=[0-9]+\\.[0-9]{3}$",
              "examples": [
                "auth;dur=0.092, cache;dur=1.922, db;dur=824.654, encode;dur=0.544, total;dur=827.331"
              ]
            }
          },
          "X-RateLimit-Limit": {
            "description": "Only when RATE_LIMIT_RPS is set, on every dashboard answer after a valid token (200, 304, 400, 429, 500, 503): the tenant's bucket size, RATE_LIMIT_BURST (default max(1, 2 × RATE_LIMIT_RPS rounded up)).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000000
            }
          },
          "X-RateLimit-Remaining": {
            "description": "Only when RATE_LIMIT_RPS is set: whole requests left in the tenant's bucket after this one (0 on a 429).",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 10000000
            }
          },
          "X-RateLimit-Reset": {
            "description": "Only when RATE_LIMIT_RPS is set: whole seconds, rounded up, until the tenant's bucket is full again (at most 86400).",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 86400
            }
          },
          "Cache-Control-Dashboard": {
            "description": "Dashboard answers may be stored only by the client, which must revalidate.",
            "schema": {
              "type": "string",
              "const": "private, no-cache"
            }
          },
          "Cache-Control-NoStore": {
            "description": "Problems, health and metrics are never stored.",
            "schema": {
              "type": "string",
              "const": "no-store"
            }
          },
          "Cache-Control-OpenAPI": {
            "description": "This document may be stored by any cache for 5 minutes.",
            "schema": {
              "type": "string",
              "const": "public, max-age=300"
            }
          },
          "Vary": {
            "description": "Authorization (the answer depends on the token's tenant). When CORS_ALLOWED_ORIGINS is set a second field, Vary: Origin, follows.",
            "schema": {
              "type": "string",
              "examples": [
                "Authorization"
              ]
            }
          },
          "Vary-Origin": {
            "description": "Only when CORS_ALLOWED_ORIGINS is set: Origin, on every answer of the main port whatever the request's Origin (the CORS fields depend on it).",
            "schema": {
              "type": "string",
              "const": "Origin"
            }
          },
          "Access-Control-Allow-Origin": {
            "description": "Only when CORS_ALLOWED_ORIGINS is set and lists the request's Origin: that origin (never *). Such answers also carry Timing-Allow-Origin (the same origin) and Access-Control-Expose-Headers: ETag, X-Cache, X-Request-ID, Retry-After, Server-Timing, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset. On every answer of the main port to a listed origin, problems included; not on the protocol errors of the HTTP parser, nor on METRICS_PORT.",
            "schema": {
              "type": "string"
            }
          },
          "WWW-Authenticate-Invalid": {
            "description": "RFC 6750 challenge; the same for every 401.",
            "schema": {
              "type": "string",
              "const": "Bearer error=\"invalid_token\""
            }
          },
          "WWW-Authenticate-Scope": {
            "description": "RFC 6750 challenge naming the scope that is missing.",
            "schema": {
              "type": "string",
              "const": "Bearer error=\"insufficient_scope\", scope=\"dashboard:read\""
            }
          },
          "Retry-After": {
            "description": "Seconds to wait before retrying: 5 when the database is unreachable or did not answer within the request's budget, 1 when the server is busy (every database connection stayed busy, or the request waited for a worker thread until its budget was spent).",
            "schema": {
              "type": "integer",
              "enum": [
                1,
                5
              ]
            }
          },
          "Retry-After-RateLimit": {
            "description": "Whole seconds, rounded up, until the tenant's bucket allows one request again (at least 1, at most 86400).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 86400
            }
          }
        },
        "securitySchemes": {
          "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A JWS-signed JWT: HS256 with JWT_SECRET, or RS256 / ES256 with the key in JWT_PUBLIC_KEY_FILE (only the configured kind). Required claims: exp, tenant_type (user | organization), tenant_id (1-64 of [A-Za-z0-9_.-]) and scope (space-separated, containing dashboard:read). nbf and iat are honoured with 60 s leeway; iss and aud are checked when JWT_ISSUER / JWT_AUDIENCE are set."
          }
        }
      }
    }
    """#
}
