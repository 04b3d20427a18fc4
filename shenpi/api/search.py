"""/api/v1/search/: the site search (站内搜索) as the portal's page shows it — items in force,
public FAQ and published policies found by words, synonyms and pinyin, best first."""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from shenpi.portal.search import site_search

from .catalog import ItemOut, PublicationOut
from .consult import FaqOut


class SearchOut(serializers.Serializer):
    q = serializers.CharField()
    words = serializers.ListField(
        child=serializers.CharField(), help_text="查询切分出的词（已去除“怎么”“如何”等虚词）"
    )
    items = ItemOut(many=True, help_text="匹配的现行事项（至多 10 项，全部见 /items/?q=）")
    faqs = FaqOut(
        many=True,
        help_text="匹配的常见问题（问题含全部搜索词的在前，其次为解答中含有的；各按公开时间由新到旧；按 page 分页，每页 10 条）",
    )
    faq_page = serializers.IntegerField()
    faq_has_next = serializers.BooleanField()
    policies = PublicationOut(many=True, help_text="匹配的政策法规与信息（至多 10 条）")


class SearchApi(APIView):
    """Public, as the page /search/ (one function, shenpi.portal.search.site_search)."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="站内搜索：事项、常见问题、政策法规",
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description="搜索词，不超过 50 字：词语、同义词、全拼或首字母（如 开小吃店、shipin、spjy）",
                examples=[OpenApiExample("拼音", value="shipin")],
            ),
            OpenApiParameter("page", int, description="常见问题的页码（从 1 开始）"),
        ],
        responses={200: SearchOut},
    )
    def get(self, request):
        q = request.query_params.get("q", "").strip()
        found = site_search(q, request.query_params.get("page"))
        faqs = found["faqs"]
        return Response(
            {
                "q": q,
                "words": [term.word for term in found["terms"]],
                "items": ItemOut(found["items"], many=True).data,
                "faqs": FaqOut(faqs.rows if faqs else [], many=True).data,
                "faq_page": faqs.number if faqs else 1,
                "faq_has_next": bool(faqs and faqs.has_next),
                "policies": PublicationOut(found["policies"], many=True).data,
            }
        )
