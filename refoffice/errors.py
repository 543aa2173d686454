"""One error shape for every 4xx: {"detail": <Vietnamese>, "errors": [{"field", "message"}]}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

INVALID = "Dữ liệu không hợp lệ"
UNAUTHENTICATED = "Chưa đăng nhập hoặc phiên đăng nhập không hợp lệ"
FORBIDDEN = "Tài khoản không có quyền thực hiện thao tác này"
NOT_FOUND = "Không tìm thấy"

_STATUS_DETAIL = {
    400: "Yêu cầu không hợp lệ",
    401: UNAUTHENTICATED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột dữ liệu",
    422: INVALID,
}

# Pydantic error types a client can trigger on our few typed parameters.
_PYDANTIC_MESSAGES = {
    "missing": "Không được để trống",
    "json_invalid": "Nội dung không phải JSON hợp lệ",
    "int_parsing": "Phải là số nguyên",
    "int_type": "Phải là số nguyên",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "dict_type": "Phải là một đối tượng JSON",
}


class ApiError(Exception):
    """An error the handlers turn into the contract's JSON shape."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or _STATUS_DETAIL.get(status, ""))
        self.status = status
        self.detail = detail or _STATUS_DETAIL.get(status, "Lỗi")
        self.errors = errors or []
        self.headers = headers


def field_error(field: str, message: str, status: int = 422, detail: str | None = None) -> ApiError:
    """Shortcut for a single-field error."""
    return ApiError(status, detail, [{"field": field, "message": message}])


def error_body(detail: str, errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"detail": detail, "errors": errors or []}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_handlers(app: FastAPI) -> None:
    """Replace FastAPI's English default errors with the contract's Vietnamese shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.detail, exc.errors), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": _field_name(err.get("loc", ())),
                "message": _PYDANTIC_MESSAGES.get(err.get("type", ""), "Giá trị không hợp lệ"),
            }
            for err in exc.errors()
        ]
        return JSONResponse(error_body(INVALID, errors), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in _STATUS_DETAIL else None
        return JSONResponse(
            error_body(detail or _STATUS_DETAIL.get(exc.status_code, "Lỗi")),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
