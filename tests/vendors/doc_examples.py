"""The vendor documents' own example replies, copied as data (typographic quotes made plain, as
the README decides). Tests feed them to the clients through tiny loopback servers that answer
only what the documents show (tests/vendors/doc_servers.py)."""

from __future__ import annotations

from typing import Any

# ---- websocket-invoice-api.md ------------------------------------------------------------------

WS_LOGIN_REPLY: dict[str, Any] = {"type": "login", "sendToId": "1111", "data": "1"}

WS_INVOICE_PDF_REPLY: dict[str, Any] = {
    "type": "invoice_pdf",
    "sendToId": "1111",
    "data": {
        "buyerName": "ABC公司",
        "buyerIndentification": "91330701MA2DFB848M",
        "buyerAddress": "浙江省杭州市西湖区文一西路 123 号",
        "buyerPhone": "13812345678",
        "buyerInvoiceType": "0",
        "buyerType": "0",
        "buyerEmail": "buyer@example.com",
        "buyerBank": "工商银行杭州分行",
        "buyerBankAccount": "1234567890123456789",
        "buyerBankShow": "1",
        "sellerBankShow": "1",
        "vipId": "987654",
        "isDrafts": "0",
        "invoiceItems": '[{"name":"商品A","quantity":2,"spec":"规格A","unit":"件","unitPrice":100},'
        '{"name":"商品B","quantity":1,"spec":"规格B","unit":"套","unitPrice":200}]',
        "sellerName": "XYZ科技有限公司",
        "sellerIndentification": "91330701MA2M37T86L",
        "sellerBank": "招商银行杭州分行",
        "sellerBankAccount": "9876543210987654321",
        "sellerLoginAccount": "seller_login",
        "sellerLoginPassword": "password123",
        "invoiceUrl": "http://example.com/invoice.pdf",
        "sellerAddress": "浙江省杭州市滨江区江南大道 456 号",
        "sellerPhone": "13987654321",
        "remark": "这是一条测试备注信息。",
    },
}

# the example as printed: type "login", and the page nested one level deeper than the table says
WS_QUERY_REPLY: dict[str, Any] = {
    "type": "login",
    "sendToId": "1111",
    "data": {
        "data": {
            "data": [
                {
                    "specificBusinessType": "",
                    "id": 123456789,
                    "countETicketNumbers": "98765432109876543210",
                    "sellerIdentificationNumber": "91330106552613092B",
                    "sellerName": "ABC科技有限公司",
                    "buyerIdentificationNumber": "91330211725964321M",
                    "buyerName": "XYZ财务咨询公司",
                    "invoiceDate": 1712643071000,
                    "totalAmount": -495.05,
                    "totalTax": -4.95,
                    "totalPriceAndTax": -500,
                    "invoiceSource": "电子发票服务平台",
                    "invoiceType": "数电票(普通发票)",
                    "invoiceStatus": "正常",
                    "isInvoicePositive": "否",
                    "invoiceRiskLevel": "正常",
                    "drawer": "张三",
                    "note": "本发票为咨询费用发票",
                    "vipId": 987654321,
                    "queryType": 1,
                }
            ],
            "total": 1,
            "currentPage": 1,
            "totalPage": 1,
            "hasNext": False,
        }
    },
}

WS_ZIP_OK: dict[str, Any] = {"type": "query_invoice_download_zip", "sendToId": "1111", "data": "1"}

# ---- signed-invoice-management-api.md (bare objects, as the document shows them) -------------

SIGNED_GET_INVOICE: dict[str, Any] = {
    "invoice_bn": "FP20240101001",
    "invoice_type": "增值税专用发票",
    "invoice_status": "已开票",
    "tax_no": "91110105MA00123456",
    "company_name": "测试科技有限公司",
    "amount": 10000.00,
    "tax_amount": 1300.00,
    "total_amount": 11300.00,
    "issue_date": "2024-01-01",
    "items": [
        {
            "item_name": "测试产品",
            "spec": "标准规格",
            "unit": "个",
            "quantity": 100,
            "price": 100.00,
            "amount": 10000.00,
        }
    ],
}

SIGNED_GET_INVOICE_LIST: dict[str, Any] = {
    "count": 100,
    "lists": [
        {
            "invoice_bn": "FP20240101001",
            "invoice_type": "增值税专用发票",
            "invoice_status": "已开票",
            "company_name": "测试科技有限公司",
            "total_amount": 11300.00,
            "issue_date": "2024-01-01",
        },
        {
            "invoice_bn": "FP20240101002",
            "invoice_type": "增值税普通发票",
            "invoice_status": "已开票",
            "company_name": "测试贸易有限公司",
            "total_amount": 5650.00,
            "issue_date": "2024-01-01",
        },
    ],
}

# ---- open-api-v1.json --------------------------------------------------------------------------

OPEN_CREATE_REPLY: dict[str, Any] = {
    "code": "0",
    "message": "成功",
    "data": {
        "requestNo": "REQ202605200001",
        "invoiceReqSerialNo": "OPEN202605200001",
        "status": "PROCESSING",
    },
}

OPEN_QUERY_REPLY: dict[str, Any] = {
    "code": "0",
    "message": "成功",
    "data": {
        "invoiceReqSerialNo": "OPEN202605200001",
        "status": "SUCCESS",
        "code": "0000",
        "message": "开票成功",
        "invoiceCode": None,
        "invoiceNo": "12345678",
        "electronicInvoiceNo": "25100000000000000000",
        "invoiceDate": "2026-05-20 10:00:00",
        "buyerName": "测试购买方有限公司",
        "totalAmount": "100.00",
        "downloadUrl": "https://example.com/invoice.pdf",
    },
}
