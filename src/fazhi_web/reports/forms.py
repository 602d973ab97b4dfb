"""Forms of the reporter's pages; every message a user may see is Chinese."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from fazhi_web.reports.templatetags.reports_extras import human_size


class UploadForm(forms.Form):
    file = forms.FileField(
        label="报告文件",
        error_messages={
            "required": "请选择要上传的报告文件。",
            "empty": "上传的文件是空的（0 字节），请确认选择了正确的报告文件。",
            "invalid": "未收到文件，请重新选择报告文件后上传。",
            "missing": "未收到文件，请重新选择报告文件后上传。",
        },
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        # Checked on the size the server already knows, before the content is read.
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"文件“{upload.name}”大小为 {human_size(upload.size)}，超过 "
                f"{human_size(settings.UPLOAD_MAX_BYTES)} 的限制，请压缩图片或删除附件后再上传。"
            )
        return upload


class PasteForm(forms.Form):
    text = forms.CharField(
        label="报告全文",
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        error_messages={"required": "粘贴的内容为空，请粘贴报告全文。"},
    )


class SubmitForm(forms.Form):
    version = forms.IntegerField(
        error_messages={"required": "请选择要报送的版本。", "invalid": "请选择要报送的版本。"}
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="答复内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "答复内容不能为空。",
            "max_length": "答复内容不能超过 %(limit_value)d 字。",
        },
    )


def first_error(form: forms.Form) -> str:
    """The one message to show after a refused form (these forms have one field each)."""
    for errors in form.errors.values():
        return str(errors[0])
    return "提交的内容无效，请重试。"
