"""Request wiring that Django does not provide as wanted."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class ChosenLanguageMiddleware(MiddlewareMixin):
    """Vietnamese for everyone, unless the user chose another language with the site's language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an officer whose computer came set up in
    English got an English product. Here only the choice made with the switch counts: Django's set_language view
    keeps it in the language cookie.
    """

    def process_request(self, request):
        try:
            language = translation.get_supported_language_variant(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
