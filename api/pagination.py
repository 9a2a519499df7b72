from rest_framework.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    """`?limit=` (default 50, at most 200) and `?offset=`; every list orders by a unique key last, so pages
    neither repeat nor skip a row."""

    default_limit = 50
    max_limit = 200
