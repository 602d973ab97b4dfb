"""The REST API (django-ninja) for provinces' systems: OpenAPI at /api/openapi.json,
docs at /api/docs. A bearer token acts as the user it was issued to, so every read
goes through units.access and every write through the services that keep the audit log.
"""

import json
import logging
from pathlib import Path
from typing import Annotated, Any, ClassVar

import ninja
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from ninja import File, NinjaAPI, Query, Status, UploadedFile
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.renderers import JSONRenderer

from fazhi_web.api.auth import TokenAuth
from fazhi_web.api.schemas import (
    ErrorOut,
    IndicatorOut,
    ObligationOut,
    SubmitIn,
    TextIn,
    UnitOut,
    VersionOut,
)
from fazhi_web.enforcement.api import router as enforcement_router
from fazhi_web.ledgers.api import router as ledgers_router
from fazhi_web.middleware import api_error_detail, busy_response, is_busy
from fazhi_web.reports import services
from fazhi_web.reports.models import (
    AnalysisState,
    IndicatorValue,
    Obligation,
    ReportVersion,
    State,
)
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for, get_obligation, published_obligations
from fazhi_web.units.models import Unit

DESCRIPTION = """法治政府建设年度报告平台的数据接口，供各级系统对接。

**认证**：除 `/api/public/` 下的公开数据外，每个请求须带请求头
`Authorization: Bearer <令牌>`。令牌由平台管理员用 `manage.py issue_token 用户名 --name 用途`
签发，只显示一次；令牌代表签发给的用户，只能读写该用户有权访问的单位和报告。

**错误**：错误响应一律为 JSON `{"detail": "中文说明"}`。400 操作不被允许（如报告已报送后再上传）
或请求体不是有效的 JSON；401 令牌缺失或无效；404 对象不存在或无权访问；405 请求方法不支持；
413 请求体过大；422 请求参数有误（`detail` 指出字段，`errors` 逐项列出 `field` 和 `detail`）；
500 服务器出错（`detail` 含错误编号，即响应头 `X-Request-ID`，请告知管理员）；
503 系统繁忙，按响应头 `Retry-After` 的秒数稍后重试。

**分页**：列表接口用 `limit`（每页条数，默认 100，最多 1000）和 `offset`（跳过条数）翻页，
返回 `{"items": [...], "count": 总数}`。
"""

# The docs page loads only these files, served from ninja's own package:
# users sit on closed networks where a CDN cannot be reached.
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
    "favicon.png": "image/png",
}
DOCS_ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"


class LocalSwagger(Swagger):
    """Swagger UI with its scripts and styles served by this API instead of a CDN."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(
            request,
            "api/docs.html",
            {"swagger_settings": json.dumps(self.settings), "api": api},
        )


class Utf8Renderer(JSONRenderer):
    # Chinese readable as it is in logs and curl output, rather than \u escapes.
    json_dumps_params: ClassVar[dict[str, Any]] = {"ensure_ascii": False}


api = NinjaAPI(
    title="法治政府建设年度报告平台接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    renderer=Utf8Renderer(),
    # No validator badge: Swagger UI would fetch it from the internet.
    docs=LocalSwagger(settings={"validatorUrl": None, "docExpansion": "list"}),
)


class Page(LimitOffsetPagination):
    class Input(ninja.Schema):
        limit: int = ninja.Field(100, ge=1, le=1000, description="每页条数（1–1000）")
        offset: int = ninja.Field(0, ge=0, description="跳过的条数")


# -- errors: always {"detail": "中文说明"} -----------------------------------------


logger = logging.getLogger(__name__)

MB = 1024 * 1024
# The largest id the database holds (BigAutoField); past it SQLite cannot even compare.
MAX_ID = 2**63 - 1


def _error(request: HttpRequest, detail: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, "未认证：请在请求头 Authorization 中提供有效的令牌（Bearer <令牌>）。", 401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, str(exc) or "对象不存在或无权访问。", 404)


@api.exception_handler(ActionRefused)
def _refused(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
    return _error(request, str(exc), 400)


# pydantic error type -> what is wrong with the field, in Chinese.
PROBLEMS = {
    "missing": "缺少字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "date_from_datetime_parsing": "应为日期（如 2024-03-31）",
    "date_parsing": "应为日期（如 2024-03-31）",
    "string_too_long": "过长",
}
SOURCES = ("query", "body", "path", "file", "form", "header", "cookie")


def _problem(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"应小于 {ctx.get('lt')}"
    return PROBLEMS.get(kind, "的值无效")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Names each field and what is wrong with it: "请求参数有误：缺少字段“text”。"."""
    errors = []
    for error in exc.errors:
        # ("query", "state"), ("file", "file"), and for a JSON body the parameter's
        # name first: ("body", "body", "text").
        loc = [str(x) for x in error.get("loc", ())]
        source = loc.pop(0) if loc and loc[0] in SOURCES else ""
        if source == "body" and len(loc) > 1:
            loc.pop(0)
        field = ".".join(loc)
        errors.append({"field": field, "detail": _problem(error)})
    parts = []
    for e in errors:
        if not e["field"]:
            parts.append("请求体" + e["detail"])
        elif e["detail"] == "缺少字段":
            parts.append(f"缺少字段“{e['field']}”")
        else:
            parts.append(f"字段“{e['field']}”{e['detail']}")
    detail = "请求参数有误：" + "；".join(dict.fromkeys(parts)) + "。"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # django-ninja says "Cannot parse request body" for a body that is not JSON.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        detail = "请求体不是有效的 JSON，请检查格式（UTF-8 编码的 JSON 对象）。"
    else:
        detail = api_error_detail(exc.status_code)
    return _error(request, detail, exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // MB
    return _error(
        request,
        f"请求体过大：超过 {limit} MB 的限制。报告文件请用上传接口提交，"
        f"最大 {settings.UPLOAD_MAX_BYTES // MB} MB。",
        413,
    )


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _error(request, "上传请求的格式有误（multipart/form-data），请检查后重试。", 400)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    logger.warning("可疑请求：%s %s：%s", request.method, request.path, exc)
    return _error(request, "请求有误，请检查请求内容。", 400)


@api.exception_handler(Exception)
def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything unexpected: logged with its traceback, answered in Chinese with the id."""
    if is_busy(exc):
        return busy_response(request)
    logger.error("接口出错：%s %s", request.method, request.path, exc_info=exc)
    return _error(request, api_error_detail(500), 500)


def _own_or_submitted(request: HttpRequest, obligation: Obligation) -> QuerySet[ReportVersion]:
    """The reporter sees every draft; everyone else only versions that were submitted."""
    versions = obligation.versions.all()
    if not access_for(request.auth).can_report(obligation.unit):
        versions = versions.filter(submitted_at__isnull=False)
    return versions


# -- endpoints -----------------------------------------------------------------


@api.get(
    "/units",
    operation_id="list_units",
    response=list[UnitOut],
    tags=["单位"],
    summary="可访问的单位",
    description="令牌所属用户可查看报告的单位：填报员为本单位，审查员和管理员为其机关下属的全部单位。",
)
@paginate(Page)
def units(request: HttpRequest) -> QuerySet[Unit]:
    return access_for(request.auth).units().order_by("path", "pk")


@api.get(
    "/obligations",
    operation_id="list_obligations",
    response=list[ObligationOut],
    tags=["报送任务"],
    summary="报送任务列表",
    description="可访问范围内各单位各年度的报送任务及其状态，可按年度、单位、状态筛选。",
)
@paginate(Page)
def obligations(
    request: HttpRequest,
    year: Annotated[int | None, Query(description="报告年度，如 2023")] = None,
    unit_id: Annotated[int | None, Query(description="单位编号", ge=1, le=MAX_ID)] = None,
    state: Annotated[State | None, Query(description="状态代码")] = None,
) -> QuerySet[Obligation]:
    # A version's text and analysis are large; the list needs neither.
    qs = (
        access_for(request.auth)
        .obligations()
        .defer("current_version__text", "current_version__analysis")
    )
    if year is not None:
        qs = qs.filter(reporting_year__year=year)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if state is not None:
        qs = qs.filter(state=state)
    return qs.order_by("unit__path", "-reporting_year__year", "pk")


@api.post(
    "/obligations/{obligation_id}/versions",
    operation_id="upload_version",
    response={201: VersionOut, 400: ErrorOut, 404: ErrorOut},
    tags=["报送任务"],
    summary="上传报告文件",
    description="上传报告文件（multipart 字段 `file`，支持 .docx/.pdf/.txt/.html，最大 20 MB），"
    "保存为新版本并自动分析，返回版本摘要。正文超过字数上限（默认 30 万字）的报告不予接收；较长的报告在后台分析，"
    "`analysis_state` 为 done 之前分析结果接口返回 400，稍后再取。仅限该单位的填报员；报送后审查期间不能上传。",
)
def upload(
    request: HttpRequest,
    obligation_id: int,
    file: Annotated[UploadedFile, File(description="报告文件")],
) -> Status[ReportVersion]:
    obligation = get_obligation(request.auth, obligation_id, "report")
    # One byte past the limit is enough for the service to refuse an oversized file.
    content = file.read(settings.UPLOAD_MAX_BYTES + 1)
    version = services.upload_version(request.auth, obligation, file.name or "报告", content)
    return Status(201, version)


@api.post(
    "/obligations/{obligation_id}/versions/text",
    operation_id="upload_text",
    response={201: VersionOut, 400: ErrorOut, 404: ErrorOut},
    tags=["报送任务"],
    summary="提交报告全文（文本）",
    description='以 JSON `{"text": "…"}` 提交报告全文，效果同上传 .txt 文件。仅限该单位的填报员。',
)
def upload_text(request: HttpRequest, obligation_id: int, body: TextIn) -> Status[ReportVersion]:
    obligation = get_obligation(request.auth, obligation_id, "report")
    return Status(201, services.paste_version(request.auth, obligation, body.text))


@api.post(
    "/obligations/{obligation_id}/submit",
    operation_id="submit",
    response={200: ObligationOut, 400: ErrorOut, 404: ErrorOut},
    tags=["报送任务"],
    summary="报送",
    description="将指定版本报送审查，返回报送后的任务。仅限该单位的填报员；"
    "仅“未报送”或“退回修改”状态可以报送。",
)
def submit(request: HttpRequest, obligation_id: int, body: SubmitIn) -> Obligation:
    obligation = get_obligation(request.auth, obligation_id, "report")
    version = obligation.versions.filter(number=body.version).first()
    if version is None:
        raise ActionRefused(f"第{body.version}版不存在，请先上传报告。")
    services.submit(request.auth, obligation, version)
    return get_obligation(request.auth, obligation_id, "report")


@api.get(
    "/obligations/{obligation_id}/analysis",
    operation_id="get_analysis",
    response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut},
    tags=["报送任务"],
    summary="报告分析结果",
    description="某一版本的完整分析结果（分析契约 fazhi.analysis/1：来源、正文、章节、五项内容、"
    "数据、指标、问题、评分）。默认为已报送版本；填报员在报送前默认为最新上传的版本。"
    "`version` 指定版本号。审查员只能查看已报送过的版本。",
)
def analysis(
    request: HttpRequest,
    obligation_id: int,
    version: Annotated[int | None, Query(description="版本号；不填为当前版本")] = None,
) -> dict[str, Any]:
    obligation = get_obligation(request.auth, obligation_id, "view")
    visible = _own_or_submitted(request, obligation)
    if version is not None:
        found = visible.filter(number=version).first()
    elif obligation.current_version_id is not None:
        found = visible.filter(pk=obligation.current_version_id).first()
    else:
        found = visible.order_by("-number").first()
    if found is None:
        raise Http404("该版本不存在或无权查看。" if version else "该报告尚无可查看的版本。")
    if found.analysis_state == AnalysisState.FAILED:
        raise ActionRefused(f"第{found.number}版分析失败，请在页面上重试分析。")
    if not found.analysed:
        raise ActionRefused(f"第{found.number}版正在分析，请稍后再取分析结果。")
    services.record_read(request.auth, "read.analysis", obligation, [found])
    return found.analysis


def _indicator_values(obligations: QuerySet[Obligation]) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(
        obligation__in=obligations.order_by().values("pk")
    ).select_related("obligation__unit", "obligation__reporting_year")


@api.get(
    "/indicators",
    operation_id="list_indicators",
    response=list[IndicatorOut],
    tags=["指标"],
    summary="指标数据",
    description="可访问范围内已报送报告的指标值（自动提取，审查员更正过的以更正值为准）。",
)
@paginate(Page)
def indicators(
    request: HttpRequest,
    year: Annotated[int | None, Query(description="报告年度")] = None,
    unit_id: Annotated[int | None, Query(description="单位编号", ge=1, le=MAX_ID)] = None,
    indicator: Annotated[str | None, Query(description="指标代码，如 hotline_received")] = None,
) -> QuerySet[IndicatorValue]:
    obligations = access_for(request.auth).obligations()
    if year is not None:
        obligations = obligations.filter(reporting_year__year=year)
    if unit_id is not None:
        obligations = obligations.filter(unit_id=unit_id)
    qs = _indicator_values(obligations)
    if indicator:
        qs = qs.filter(indicator=indicator)
    return qs.order_by(
        "obligation__unit__path", "-obligation__reporting_year__year", "indicator", "pk"
    )


@api.get(
    "/public/indicators",
    operation_id="list_public_indicators",
    response=list[IndicatorOut],
    auth=None,
    tags=["公开数据"],
    summary="公开指标数据（无需认证）",
    description="已公开报告的指标值，供开放数据使用，无需令牌。",
)
@paginate(Page)
def public_indicators(
    request: HttpRequest,
    year: Annotated[int | None, Query(description="报告年度")] = None,
) -> QuerySet[IndicatorValue]:
    obligations = published_obligations()
    if year is not None:
        obligations = obligations.filter(reporting_year__year=year)
    return _indicator_values(obligations).order_by(
        "obligation__unit__path", "-obligation__reporting_year__year", "indicator", "pk"
    )


api.add_router("/ledgers/", ledgers_router)
api.add_router("/enforcement/", enforcement_router)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in DOCS_ASSETS:
        raise Http404("文件不存在。")
    response = FileResponse((DOCS_ASSET_DIR / name).open("rb"), content_type=DOCS_ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
