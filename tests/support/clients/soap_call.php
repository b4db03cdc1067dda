<?php
// One SOAP call with PHP's SoapClient, as a PHP billing system would make it.
// stdin: {"wsdl": URL, "login": ..., "password": ..., "operation": ..., "args": {...}}
// stdout: {"result": ...} or {"fault": {"code": ..., "message": ..., "detail": {LkkFault's members}}}
$input = json_decode(file_get_contents('php://stdin'), true);
try {
    $client = new SoapClient($input['wsdl'], [
        'login' => $input['login'],
        'password' => $input['password'],
        'authentication' => SOAP_AUTHENTICATION_BASIC,
        'cache_wsdl' => WSDL_CACHE_NONE,
        'exceptions' => true,
        'trace' => false,
        'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
        'encoding' => 'UTF-8',
    ]);
    $result = $client->__soapCall($input['operation'], [$input['args']]);
    echo json_encode(['result' => $result], JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
} catch (SoapFault $fault) {
    // SoapClient reads the typed detail by the WSDL's wsdl:fault: $fault->detail->LkkFault.
    echo json_encode(['fault' => ['code' => $fault->faultcode, 'message' => $fault->getMessage(),
                                  'detail' => $fault->detail->LkkFault ?? null]],
                     JSON_UNESCAPED_UNICODE);
}
