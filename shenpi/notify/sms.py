"""The SMS gateway interface. The default backend logs; a deployment names its
gateway's backend in SHENPI_SMS_BACKEND (a class with send(to, text))."""

import logging

logger = logging.getLogger("shenpi.sms")


class LoggingSmsBackend:
    def send(self, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)
