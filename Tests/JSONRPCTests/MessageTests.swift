import XCTest

@testable import JSONRPC

final class MessageTests: XCTestCase {
    private func check(
        _ body: String, _ expected: Message, file: StaticString = #filePath, line: UInt = #line
    ) {
        switch Message.decode(Array(body.utf8)) {
        case .success(let message):
            XCTAssertEqual(message, expected, file: file, line: line)
            // Encoding and decoding again gives the same message.
            XCTAssertEqual(
                try? Message.decode(MessageEncoding.body(of: message)).get(), message, file: file, line: line)
        case .failure(let invalid):
            XCTFail("\(body): \(invalid)", file: file, line: line)
        }
    }

    private func checkInvalid(
        _ body: String, code: ErrorCode, id: RequestID?, isResponse: Bool = false,
        file: StaticString = #filePath,
        line: UInt = #line
    ) {
        switch Message.decode(Array(body.utf8)) {
        case .success(let message):
            XCTFail("\(body) decoded as \(message)", file: file, line: line)
        case .failure(let invalid):
            XCTAssertEqual(invalid.error.code, code, invalid.error.message, file: file, line: line)
            XCTAssertEqual(invalid.id, id, file: file, line: line)
            XCTAssertEqual(invalid.isResponse, isResponse, file: file, line: line)
        }
    }

    func testValidMessages() {
        check(
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null}}"#,
            .request(RequestMessage(id: .integer(1), method: "initialize", params: ["processId": nil])))
        check(
            #"{"jsonrpc":"2.0","id":"abc","method":"shutdown"}"#,
            .request(RequestMessage(id: .string("abc"), method: "shutdown")))
        check(
            #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"#,
            .notification(NotificationMessage(method: "$/cancelRequest", params: ["id": 7])))
        check(
            #"{"jsonrpc":"2.0","id":-5,"result":null}"#,
            .response(ResponseMessage(id: .integer(-5), result: .success(nil))))
        check(
            #"{"jsonrpc":"2.0","id":"s1","result":[{"a":1}]}"#,
            .response(ResponseMessage(id: .string("s1"), result: .success([["a": 1]]))))
        check(
            #"{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"nope","data":{"x":1}}}"#,
            .response(
                ResponseMessage(
                    id: .integer(2),
                    result: .failure(ResponseError(code: .methodNotFound, message: "nope", data: ["x": 1])))))
        check(
            #"{"jsonrpc":"2.0","id":9223372036854775807,"method":"x","params":[1,2]}"#,
            .request(RequestMessage(id: .integer(Int64.max), method: "x", params: [1, 2])))
    }

    func testInvalidMessages() {
        checkInvalid("{not json", code: .parseError, id: nil)
        checkInvalid("[1]", code: .invalidRequest, id: nil)
        checkInvalid(#"{"jsonrpc":"1.0","id":3,"method":"m"}"#, code: .invalidRequest, id: .integer(3))
        checkInvalid(#"{"jsonrpc":"2.0","id":3,"method":5}"#, code: .invalidRequest, id: .integer(3))
        checkInvalid(#"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#, code: .invalidRequest, id: nil)
        checkInvalid(#"{"jsonrpc":"2.0","id":null,"method":"m"}"#, code: .invalidRequest, id: nil)
        checkInvalid(
            #"{"jsonrpc":"2.0","id":4,"method":"m","params":"s"}"#, code: .invalidRequest, id: .integer(4))
        checkInvalid(#"{"jsonrpc":"2.0","id":4}"#, code: .invalidRequest, id: .integer(4), isResponse: true)
        checkInvalid(#"{"jsonrpc":"2.0","result":1}"#, code: .invalidRequest, id: nil, isResponse: true)
        checkInvalid(
            #"{"jsonrpc":"2.0","id":4,"error":{"code":"x"}}"#, code: .invalidRequest, id: .integer(4),
            isResponse: true)
    }

    func testEncodedBodiesAreExact() throws {
        XCTAssertEqual(
            String(
                decoding: MessageEncoding.response(id: .string("a\"b"), resultJSON: Array("null".utf8)),
                as: UTF8.self),
            #"{"jsonrpc":"2.0","id":"a\"b","result":null}"#)
        XCTAssertEqual(
            String(
                decoding: MessageEncoding.response(id: nil, error: .init(code: .parseError, message: "bad")),
                as: UTF8.self),
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}}"#)
        XCTAssertEqual(
            String(decoding: MessageEncoding.notification(method: "m", paramsJSON: nil), as: UTF8.self),
            #"{"jsonrpc":"2.0","method":"m"}"#)
        struct Params: Encodable {
            var uri = "file:///x/y"
            var n = 1
        }
        XCTAssertEqual(
            String(
                decoding: MessageEncoding.request(
                    id: .integer(3), method: "r", paramsJSON: try MessageEncoding.json(Params())),
                as: UTF8.self),
            #"{"jsonrpc":"2.0","id":3,"method":"r","params":{"n":1,"uri":"file:///x/y"}}"#)
    }
}
