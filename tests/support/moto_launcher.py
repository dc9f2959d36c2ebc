#!/usr/bin/env python3
"""Start moto's server (same arguments as `moto_server`) with a tolerant AssumeRoleWithSAML.

Why this exists: moto 5.2.1 indexes the SAML assertion as if it always had several Attributes with one
AttributeValue each, so it answers HTTP 500 to valid assertions shaped otherwise: a Role attribute with two or more
AttributeValues (Google's shape for a person with several roles, and the fixture builder's default) or an
AttributeStatement with a single Attribute. The replacement below reads RoleSessionName and SessionDuration by
name whatever the shape, and takes the account from the RoleArn that was sent instead of from the first value of
the Role attribute. While at it, it follows real STS where moto does not:
  - DurationSeconds is honoured (moto ignores it): the session lasts DurationSeconds (default 3600), shortened to
    the SessionDuration attribute when that is smaller (AWS-SAML-FACTS.md: SessionDuration can only shorten API
    credentials);
  - the session is recorded in the role's account (as moto's own AssumeRole does), so GetCallerIdentity with the
    SAML credentials names the assumed role for any account, not only 123456789012.
Nothing else changes: signatures, expiry and ARN pairs are still not checked (tests check those themselves).

Usage: moto_launcher.py -H 127.0.0.1 -p PORT [-c cert.pem -k key.pem]
"""
import sys
import threading
import xml.etree.ElementTree as ET
from base64 import b64decode

from moto.server import main
from moto.sts import models, responses
from moto.sts.utils import DEFAULT_STS_SESSION_DURATION
from moto.utilities.utils import get_partition

AWS_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/"

_request = threading.local()


def _local_name(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _aws_attributes(saml_assertion_b64):
    """{"RoleSessionName": ["alice@example.com"], "Role": [...], ...} from any SAML Response shape."""
    root = ET.fromstring(b64decode(saml_assertion_b64))
    found = {}
    for element in root.iter():
        name = element.get("Name", "")
        if _local_name(element.tag) != "Attribute" or not name.startswith(AWS_ATTRIBUTE):
            continue
        values = found.setdefault(name[len(AWS_ATTRIBUTE):], [])
        for value in element:
            if _local_name(value.tag) == "AttributeValue":
                values.append("".join(value.itertext()).strip())
    return found


def assume_role_with_saml(self, **kwargs):
    role_arn = kwargs["role_arn"]
    attributes = _aws_attributes(kwargs["saml_assertion"])
    session_name = next(iter(attributes.get("RoleSessionName", [])), None)
    if not session_name:
        raise ValueError("the assertion has no RoleSessionName attribute")

    duration = getattr(_request, "duration_seconds", None) or DEFAULT_STS_SESSION_DURATION
    session_duration = next(iter(attributes.get("SessionDuration", [])), None)
    if session_duration and session_duration.isdigit():
        duration = min(duration, int(session_duration))

    account_id, access_key = self._create_access_key(role=role_arn)
    access_key.role_arn = role_arn
    role = models.AssumedRole(
        account_id=account_id,
        region_name=self.region_name,
        access_key=access_key,
        role_session_name=session_name,
        role_arn=role_arn,
        policy=None,
        duration=duration,
        external_id=None,
    )
    models.sts_backends[account_id][get_partition(self.region_name)].assumed_roles.append(role)
    return role


_original_response = responses.TokenResponse.assume_role_with_saml


def assume_role_with_saml_response(self):
    # The backend method gets no request; hand it DurationSeconds through the handling thread.
    _request.duration_seconds = self._get_int_param("DurationSeconds")
    try:
        return _original_response(self)
    finally:
        _request.duration_seconds = None


models.STSBackend.assume_role_with_saml = assume_role_with_saml
responses.TokenResponse.assume_role_with_saml = assume_role_with_saml_response

if __name__ == "__main__":
    main(sys.argv[1:])
