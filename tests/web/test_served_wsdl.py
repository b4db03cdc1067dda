"""The served WSDL's address comes from the configuration, never from the request's Host header."""
from __future__ import annotations

from lxml import etree

WSDL = "{http://schemas.xmlsoap.org/wsdl/}"


def test_served_wsdl_address_comes_from_configuration_not_the_host_header(client, config):
    response = client.get("/soap?wsdl", headers={"Host": "attacker.example"})
    assert response.status_code == 200
    address = etree.fromstring(response.data).find(
        f".//{WSDL}port/{{http://schemas.xmlsoap.org/wsdl/soap/}}address").get("location")
    assert address == config.public_url + "/soap"
    assert b"attacker.example" not in response.data
