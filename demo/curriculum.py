"""The four demo courses of the curriculum (shared/content/curriculum-vi.md), written for
members in plain Vietnamese. Facts are kept exactly as the curriculum gives them.

Body blocks are ("type", value) pairs; a value {"screen": {...}} becomes a generated phone
screenshot, {"cover": ...} a generated cover.
"""

REPORT = "Gọi 156 hoặc nhắn tin 5656 (miễn phí) theo cú pháp “LD [số điện thoại lừa đảo] [nội dung]”; báo ngay Công an xã."


def kc(question, choices, correct, explanation):
    return (
        "knowledge_check",
        {
            "question": question,
            "choices": [
                {"text": text, "is_correct": i == correct} for i, text in enumerate(choices)
            ],
            "explanation": explanation,
        },
    )


def screen(title, lines, button="", colour="blue"):
    return {"screen": {"title": title, "lines": lines, "button": button, "colour": colour}}


COURSES = [
    {
        "title": "VNeID và dịch vụ công trực tuyến",
        "slug": "vneid-va-dich-vu-cong-truc-tuyen",
        "topic": "ung-dung-va-dich-vu-cong-moi",
        "colour": "blue",
        "summary": "Hiểu tài khoản định danh điện tử mức 1, mức 2; hướng dẫn người dân kích hoạt VNeID "
        "và nộp hồ sơ trên Cổng Dịch vụ công quốc gia một cách an toàn.",
        "minutes": 25,
        "skills": "Dịch vụ công trực tuyến",
        "lessons": [
            {
                "title": "VNeID là gì?",
                "summary": "Ứng dụng định danh điện tử của Bộ Công an và hai mức tài khoản.",
                "body": [
                    (
                        "text",
                        "<p>VNeID là ứng dụng định danh và xác thực điện tử do <b>Bộ Công an</b> phát triển. "
                        "Tài khoản VNeID giúp người dân chứng minh “mình là mình” khi làm thủ tục trên mạng, "
                        "thay cho việc mang nhiều giấy tờ.</p>"
                        "<h2>Hai mức tài khoản</h2><ul>"
                        "<li><b>Mức 1</b>: đăng ký trên ứng dụng, dùng được một số tiện ích cơ bản.</li>"
                        "<li><b>Mức 2</b>: đăng ký trực tiếp tại cơ quan Công an, có chụp ảnh chân dung và lấy vân tay; "
                        "có giá trị như xuất trình giấy tờ khi làm thủ tục.</li></ul>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "info",
                            "title": "",
                            "text": "<p>Chỉ có <b>một</b> ứng dụng định danh quốc gia là VNeID. "
                            "Ứng dụng nào khác tự xưng “VNeID” đều là giả.</p>",
                        },
                    ),
                    kc(
                        "Tài khoản VNeID mức 2 được đăng ký ở đâu?",
                        [
                            "Qua đường link gửi trên Zalo",
                            "Trực tiếp tại cơ quan Công an",
                            "Tại ngân hàng",
                            "Qua tổng đài",
                        ],
                        1,
                        "Mức 2 cần chụp ảnh và lấy vân tay trực tiếp tại cơ quan Công an, nên không ai làm thay được.",
                    ),
                    (
                        "takeaways",
                        {
                            "items": [
                                "VNeID do Bộ Công an phát triển.",
                                "Mức 2 đăng ký trực tiếp tại Công an.",
                                "Chỉ có một ứng dụng định danh là VNeID.",
                            ]
                        },
                    ),
                ],
            },
            {
                "title": "Kích hoạt tài khoản mức 2",
                "summary": "Các bước kích hoạt trên ứng dụng sau khi đã đăng ký tại Công an.",
                "body": [
                    (
                        "text",
                        "<p>Sau khi đăng ký mức 2 tại Công an, người dân nhận tin nhắn kích hoạt. "
                        "Hãy ngồi cạnh và hướng dẫn để <b>chính họ</b> thao tác trên điện thoại của mình.</p>",
                    ),
                    (
                        "steps",
                        {
                            "title": "Kích hoạt VNeID mức 2",
                            "steps": [
                                {
                                    "screenshot": screen(
                                        "VNeID",
                                        [
                                            "Tải VNeID từ App Store hoặc CH Play",
                                            "Chọn “Kích hoạt tài khoản”",
                                        ],
                                        "Kích hoạt",
                                    ),
                                    "text": "<p>Tải ứng dụng <b>VNeID</b> từ App Store hoặc CH Play, mở ứng dụng, chọn <b>Kích hoạt tài khoản</b>.</p>",
                                },
                                {
                                    "screenshot": screen(
                                        "Nhập mã OTP",
                                        [
                                            "Nhập số định danh cá nhân và số điện thoại",
                                            "Nhập mã OTP vừa nhận",
                                        ],
                                        "Xác nhận",
                                    ),
                                    "text": "<p>Nhập số định danh cá nhân, số điện thoại, rồi nhập <b>mã OTP</b> được gửi về máy.</p>",
                                },
                                {
                                    "screenshot": screen(
                                        "Đặt mật khẩu",
                                        [
                                            "Mật khẩu dài 8–20 ký tự",
                                            "Có chữ hoa, chữ thường, số, ký tự đặc biệt",
                                        ],
                                        "Tiếp tục",
                                    ),
                                    "text": "<p>Đặt <b>mật khẩu 8–20 ký tự</b>. Người dân tự nghĩ và tự gõ, không đọc cho người khác nghe.</p>",
                                },
                                {
                                    "screenshot": screen(
                                        "Passcode",
                                        ["Đặt passcode gồm 6 chữ số", "Chọn câu hỏi bảo mật"],
                                        "Hoàn tất",
                                    ),
                                    "text": "<p>Đặt <b>passcode gồm 6 chữ số</b>, sau đó chọn và trả lời <b>câu hỏi bảo mật</b>.</p>",
                                },
                            ],
                        },
                    ),
                    kc(
                        "Passcode của VNeID gồm những gì?",
                        ["4 chữ cái", "6 chữ số", "8–20 ký tự", "Vân tay"],
                        1,
                        "Theo hướng dẫn kích hoạt, passcode gồm 6 chữ số; còn mật khẩu mới dài 8–20 ký tự.",
                    ),
                ],
            },
            {
                "title": "Nộp hồ sơ trên Cổng Dịch vụ công quốc gia",
                "summary": "Từ đăng nhập bằng VNeID đến tra cứu kết quả.",
                "body": [
                    (
                        "text",
                        "<p>Địa chỉ chính thức là <b>dichvucong.gov.vn</b>. Trang của cơ quan nhà nước luôn có đuôi "
                        "<b>.gov.vn</b>; hãy gõ đúng địa chỉ thay vì bấm vào đường link lạ.</p>",
                    ),
                    (
                        "steps",
                        {
                            "title": "Nộp một hồ sơ trực tuyến",
                            "steps": [
                                {
                                    "screenshot": screen(
                                        "dichvucong.gov.vn",
                                        ["Đăng nhập bằng tài khoản VNeID"],
                                        "Đăng nhập",
                                    ),
                                    "text": "<p>Vào <b>dichvucong.gov.vn</b>, chọn đăng nhập bằng tài khoản định danh điện tử VNeID.</p>",
                                },
                                {
                                    "screenshot": None,
                                    "text": "<p>Tìm và chọn thủ tục cần làm (ví dụ: đăng ký khai sinh).</p>",
                                },
                                {
                                    "screenshot": None,
                                    "text": "<p>Điền tờ khai, đính kèm ảnh chụp giấy tờ rõ nét.</p>",
                                },
                                {
                                    "screenshot": None,
                                    "text": "<p>Nộp phí, lệ phí (nếu có) bằng các kênh thanh toán trên Cổng.</p>",
                                },
                                {
                                    "screenshot": screen(
                                        "Tra cứu hồ sơ",
                                        ["Mã hồ sơ: G12.34-...", "Trạng thái: Đang xử lý"],
                                        "Xem chi tiết",
                                    ),
                                    "text": "<p>Ghi lại mã hồ sơ và <b>tra cứu</b> tình trạng xử lý.</p>",
                                },
                            ],
                        },
                    ),
                    kc(
                        "Địa chỉ đúng của Cổng Dịch vụ công quốc gia là:",
                        [
                            "dichvucong-gov.com",
                            "dichvucong.gov.vn",
                            "dvcquocgia.top",
                            "dichvucong.vn-id.xyz",
                        ],
                        1,
                        "Trang của cơ quan nhà nước dùng đuôi .gov.vn.",
                    ),
                ],
            },
            {
                "title": "Hỗ trợ người dân đúng cách",
                "summary": "Giúp người dân tự làm, giữ an toàn tài khoản của họ.",
                "body": [
                    (
                        "do_dont",
                        {
                            "do_items": [
                                "Để người dân tự nhập mật khẩu và mã OTP.",
                                "Giải thích từng bước, để họ lần sau tự làm được.",
                                "Nhắc đăng xuất khi dùng máy của người khác.",
                            ],
                            "dont_items": [
                                "Hỏi hoặc ghi lại mật khẩu của người dân.",
                                "Đăng nhập tài khoản của người dân trên máy của mình.",
                                "Chụp ảnh giấy tờ của người dân vào điện thoại cá nhân.",
                            ],
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Một tài khoản, một thiết bị",
                            "text": "<p>Mỗi tài khoản VNeID chỉ đăng nhập trên <b>một thiết bị tại một thời điểm</b>. "
                            "Đăng nhập giúp trên máy mình sẽ làm máy người dân bị đăng xuất.</p>",
                        },
                    ),
                    (
                        "scam_alert",
                        {
                            "title": "Gọi điện đòi “cập nhật” địa chỉ VNeID",
                            "tactic": "Kẻ gian mạo danh công an, nói địa chỉ trên VNeID phải cập nhật sau khi sáp nhập xã, "
                            "rồi gửi đường link hoặc đòi phí.",
                            "red_flags": [
                                "Gửi đường link qua Zalo, tin nhắn",
                                "Đòi phí “cập nhật”",
                                "Hối thúc làm ngay",
                            ],
                            "what_to_do": [
                                "Từ 1/7/2025, địa chỉ trên VNeID được hệ thống tự cập nhật, người dân không phải làm gì.",
                                "Không bấm link, không chuyển tiền.",
                                "Hỏi lại Công an xã.",
                            ],
                            "report_to": REPORT,
                        },
                    ),
                    kc(
                        "Sau ngày 1/7/2025 người dân có phải tự cập nhật địa chỉ trên VNeID không?",
                        [
                            "Có, qua đường link",
                            "Không, hệ thống tự cập nhật",
                            "Có, mất phí 22.000đ",
                            "Phải gọi tổng đài",
                        ],
                        1,
                        "Địa chỉ được tự động cập nhật; lời yêu cầu “cập nhật” là dấu hiệu lừa đảo.",
                    ),
                ],
            },
        ],
    },
    {
        "title": "Thanh toán số cho người dân và tiểu thương",
        "slug": "thanh-toan-so",
        "topic": "thanh-toan-so",
        "colour": "green",
        "summary": "Tài khoản chính chủ, mã VietQR, nhận tiền an toàn khi bán hàng, đóng học phí, tiền điện "
        "qua kênh chính thức và quy định xác thực sinh trắc học.",
        "minutes": 25,
        "skills": "Thanh toán trực tuyến",
        "lessons": [
            {
                "title": "Tài khoản chính chủ và thông báo số dư",
                "summary": "Nền tảng của mọi giao dịch an toàn.",
                "body": [
                    (
                        "text",
                        "<p>Chỉ dùng tài khoản ngân hàng, ví điện tử <b>đứng tên chính mình</b>. Không cho mượn, "
                        "không mua bán tài khoản: kẻ gian dùng tài khoản “thuê” để nhận tiền lừa đảo.</p>",
                    ),
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "Bật thông báo biến động số dư",
                            "text": "<p>Khi có tiền vào hoặc ra, điện thoại báo ngay. "
                            "Đây là cách nhanh nhất để biết tiền đã thật sự về.</p>",
                        },
                    ),
                    (
                        "takeaways",
                        {
                            "items": [
                                "Tài khoản chính chủ.",
                                "Không cho mượn, không bán tài khoản.",
                                "Bật thông báo biến động số dư.",
                            ]
                        },
                    ),
                ],
            },
            {
                "title": "Mã VietQR",
                "summary": "Chuẩn mã QR chung để chuyển khoản giữa các ngân hàng.",
                "body": [
                    (
                        "text",
                        "<p><b>VietQR</b> là chuẩn mã QR chung do NAPAS đưa ra từ tháng 6/2021. Một mã VietQR chứa "
                        "ngân hàng, số tài khoản, có thể kèm số tiền và nội dung chuyển khoản.</p>",
                    ),
                    (
                        "steps",
                        {
                            "title": "Quét VietQR để trả tiền",
                            "steps": [
                                {
                                    "screenshot": screen(
                                        "Quét mã QR",
                                        ["Mở ứng dụng ngân hàng", "Chọn “Quét QR”"],
                                        "Quét",
                                        "green",
                                    ),
                                    "text": "<p>Mở ứng dụng ngân hàng, chọn <b>Quét QR</b>.</p>",
                                },
                                {
                                    "screenshot": screen(
                                        "Xác nhận",
                                        ["Người nhận: NGUYEN THI LAN", "Số tiền: 150.000 đ"],
                                        "Xác nhận",
                                        "green",
                                    ),
                                    "text": "<p>Trước khi xác nhận, <b>đọc kỹ tên người nhận và số tiền</b>.</p>",
                                },
                            ],
                        },
                    ),
                    kc(
                        "Sau khi quét VietQR, cần kiểm tra điều gì?",
                        [
                            "Màu của mã",
                            "Tên người nhận và số tiền",
                            "Mức pin điện thoại",
                            "Không cần kiểm tra",
                        ],
                        1,
                        "Mã QR dán ở quầy có thể bị kẻ gian dán đè bằng mã khác.",
                    ),
                ],
            },
            {
                "title": "Tiểu thương nhận tiền qua QR",
                "summary": "Chỉ tin vào biến động số dư, không tin ảnh chụp.",
                "body": [
                    (
                        "scam_alert",
                        {
                            "title": "Ảnh “chuyển khoản thành công” giả",
                            "tactic": "Người mua đưa ra màn hình hoặc ảnh chụp “chuyển khoản thành công” "
                            "rồi lấy hàng đi, nhưng tiền không hề về.",
                            "red_flags": [
                                "Khách vội vàng, lấy hàng ngay",
                                "Chỉ đưa ảnh, không chờ thông báo",
                            ],
                            "what_to_do": [
                                "Chỉ giao hàng khi chính máy mình báo biến động số dư.",
                                "Không chụp lại hay tin ảnh người khác đưa.",
                            ],
                            "report_to": REPORT,
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Kiểm tra mã QR của quầy",
                            "text": "<p>Thỉnh thoảng quét thử mã QR dán tại quầy để chắc chắn tên hiện ra là tên của mình.</p>",
                        },
                    ),
                    kc(
                        "Khách đưa ảnh “chuyển khoản thành công”. Bạn nên:",
                        [
                            "Giao hàng ngay",
                            "Xem biến động số dư của mình",
                            "Chụp lại ảnh",
                            "Xin mã OTP của khách",
                        ],
                        1,
                        "Ảnh có thể làm giả; chỉ thông báo số dư của chính bạn mới chứng minh tiền đã về.",
                    ),
                ],
            },
            {
                "title": "Đóng học phí, tiền điện an toàn",
                "summary": "Trả qua ứng dụng ngân hàng, ví điện tử hoặc kênh chính thức.",
                "body": [
                    (
                        "text",
                        "<p>Học phí, tiền điện, tiền nước nên trả qua ứng dụng ngân hàng, ví điện tử hoặc kênh chính thức "
                        "mà nhà trường, công ty điện lực thông báo.</p>",
                    ),
                    (
                        "scam_alert",
                        {
                            "title": "Giả danh điện lực dọa cắt điện",
                            "tactic": "Kẻ gian gọi điện, xưng là nhân viên điện lực, dọa cắt điện vì nợ tiền, "
                            "gửi link cài ứng dụng để “đóng tiền”.",
                            "red_flags": [
                                "Dọa cắt điện ngay trong ngày",
                                "Gửi link cài ứng dụng lạ",
                                "Bảo chuyển vào tài khoản cá nhân",
                            ],
                            "what_to_do": [
                                "Không cài ứng dụng theo link.",
                                "Kiểm tra qua kênh chính thức của điện lực hoặc ứng dụng ngân hàng.",
                            ],
                            "report_to": REPORT,
                        },
                    ),
                    kc(
                        "“Điện lực” gọi dọa cắt điện, gửi link cài app để đóng tiền. Bạn làm gì?",
                        [
                            "Cài ứng dụng",
                            "Không cài; kiểm tra qua kênh chính thức của điện lực hoặc ngân hàng",
                            "Chuyển tiền vào tài khoản cá nhân",
                            "Gửi số thẻ",
                        ],
                        1,
                        "Ngành điện đã cảnh báo thủ đoạn này.",
                    ),
                ],
            },
            {
                "title": "Xác thực sinh trắc học khi chuyển tiền",
                "summary": "Quy định theo Quyết định 2345/QĐ-NHNN.",
                "body": [
                    (
                        "text",
                        "<p>Theo <b>Quyết định 2345/QĐ-NHNN</b>, từ <b>1/7/2024</b>, chuyển khoản trực tuyến "
                        "<b>trên 10 triệu đồng mỗi lần</b>, hoặc khi tổng số tiền chuyển trong ngày <b>vượt 20 triệu đồng</b>, "
                        "phải xác thực bằng sinh trắc học (khuôn mặt).</p>",
                    ),
                    (
                        "do_dont",
                        {
                            "do_items": [
                                "Tự mình xác thực khuôn mặt trên ứng dụng ngân hàng.",
                                "Cập nhật sinh trắc học tại ứng dụng hoặc quầy ngân hàng.",
                            ],
                            "dont_items": [
                                "Quay video khuôn mặt gửi cho người lạ.",
                                "Xác thực hộ giao dịch của người khác.",
                            ],
                        },
                    ),
                    kc(
                        "Từ 1/7/2024, chuyển khoản trực tuyến trên bao nhiêu mỗi lần phải xác thực sinh trắc học?",
                        ["1 triệu", "5 triệu", "10 triệu", "50 triệu"],
                        2,
                        "Trên 10 triệu đồng mỗi lần, hoặc khi tổng trong ngày vượt 20 triệu đồng.",
                    ),
                ],
            },
        ],
    },
    {
        "title": "Nhận diện lừa đảo trực tuyến",
        "slug": "nhan-dien-lua-dao-truc-tuyen",
        "topic": "lua-dao-truc-tuyen",
        "colour": "red",
        "summary": "Những thủ đoạn phổ biến nhất: mạo danh công an, “việc nhẹ lương cao”, deepfake; "
        "và phải làm gì khi đã bị lừa.",
        "minutes": 30,
        "skills": "Tự bảo vệ trên không gian mạng",
        "lessons": [
            {
                "title": "Toàn cảnh lừa đảo trực tuyến",
                "summary": "Số liệu và ba nhóm thủ đoạn.",
                "body": [
                    (
                        "text",
                        "<p>Khảo sát của NCA năm 2024: cứ <b>220 người dùng thì có 1 người</b> bị lừa, thiệt hại ước "
                        "<b>18.900 tỷ đồng</b>. Năm 2025 tỷ lệ là <b>0,18%</b>, và <b>mạo danh công an</b> là thủ đoạn phổ biến nhất.</p>"
                        "<p>Cẩm nang của Cục An toàn thông tin chia thành <b>3 nhóm</b> với <b>24 hình thức</b>:</p>"
                        "<ol><li>Giả mạo thương hiệu (ngân hàng, cơ quan nhà nước, doanh nghiệp).</li>"
                        "<li>Chiếm đoạt tài khoản (mạng xã hội, ngân hàng).</li><li>Kết hợp nhiều cách.</li></ol>",
                    ),
                    (
                        "takeaways",
                        {
                            "items": [
                                "Lừa đảo rất phổ biến, ai cũng có thể là nạn nhân.",
                                "Mạo danh công an đứng đầu năm 2025.",
                            ]
                        },
                    ),
                ],
            },
            {
                "title": "Mạo danh công an, thuế, điện lực",
                "summary": "Dọa nạt để chiếm quyền điện thoại và tiền.",
                "body": [
                    (
                        "scam_alert",
                        {
                            "title": "“Công an” gọi video báo dính rửa tiền",
                            "tactic": "Kẻ gian mặc sắc phục, gọi video, nói bạn liên quan vụ rửa tiền, "
                            "yêu cầu chuyển tiền để “chứng minh trong sạch” và phải giữ bí mật.",
                            "red_flags": [
                                "Làm việc qua video call, Zalo",
                                "Yêu cầu chuyển tiền, giữ bí mật",
                                "Gửi link cài ứng dụng “của Bộ Công an”",
                            ],
                            "what_to_do": [
                                "Tắt máy. Công an làm việc trực tiếp hoặc gửi giấy mời.",
                                "Không cài ứng dụng theo link.",
                            ],
                            "report_to": REPORT,
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Ứng dụng giả chiếm quyền điện thoại",
                            "text": "<p>Ứng dụng giả thường đòi quyền <b>Trợ năng</b> và <b>đọc tin nhắn</b> để lấy OTP và điều khiển máy từ xa.</p>",
                        },
                    ),
                    kc(
                        "“Công an” gọi video, nói bạn dính rửa tiền, bắt chuyển tiền để chứng minh trong sạch và giữ bí mật. Đây là:",
                        ["Thủ tục thật", "Lừa đảo", "Lệnh của tòa án", "Bảo hiểm"],
                        1,
                        "Công an làm việc trực tiếp hoặc gửi giấy mời, không yêu cầu chuyển tiền.",
                    ),
                ],
            },
            {
                "title": "“Việc nhẹ lương cao” và đầu tư qua nhóm Zalo, Telegram",
                "summary": "Cho lãi nhỏ để lấy lòng tin, rồi chiếm số tiền lớn.",
                "body": [
                    (
                        "scam_alert",
                        {
                            "title": "Cộng tác viên “đặt đơn hoàn tiền”",
                            "tactic": "Mời làm cộng tác viên đặt đơn hàng được hoàn tiền cộng hoa hồng 10–20%. "
                            "Vài đơn đầu trả đủ; sau đó đòi nạp số tiền lớn hơn rồi chiếm đoạt.",
                            "red_flags": [
                                "Hoa hồng cao bất thường",
                                "Vài lần đầu được trả đủ",
                                "Bị kéo vào nhóm Zalo, Telegram có “người thắng” khoe lãi",
                            ],
                            "what_to_do": [
                                "Dừng lại, không nạp thêm.",
                                "Lưu lại tin nhắn, số tài khoản để trình báo.",
                            ],
                            "report_to": REPORT,
                        },
                    ),
                    kc(
                        "Được mời làm cộng tác viên “đặt đơn được hoàn tiền + 10–20% hoa hồng”, vài đơn đầu trả đủ. Đây là:",
                        [
                            "Việc thật",
                            "Lừa đảo: tạo lòng tin rồi đòi nạp nhiều hơn",
                            "Sàn tuyển dụng thật",
                            "Không có rủi ro",
                        ],
                        1,
                        "Trả tiền những lần đầu là cách tạo lòng tin trước khi chiếm đoạt số tiền lớn.",
                    ),
                ],
            },
            {
                "title": "Deepfake và tài khoản bị chiếm",
                "summary": "Video giả người thân, tài khoản mạng xã hội bị chiếm để vay tiền.",
                "body": [
                    (
                        "text",
                        "<p>Kẻ gian chiếm tài khoản Facebook, Zalo rồi nhắn người thân vay tiền. Để tạo lòng tin, chúng gọi "
                        "video <b>deepfake</b>: hình ảnh mờ, chỉ vài giây rồi tắt, lấy cớ mạng yếu.</p>",
                    ),
                    (
                        "do_dont",
                        {
                            "do_items": [
                                "Gọi lại vào số điện thoại quen để xác minh.",
                                "Hỏi một chuyện chỉ người thân mới biết.",
                            ],
                            "dont_items": [
                                "Chuyển tiền chỉ vì thấy mặt qua video ngắn.",
                                "Gửi mã OTP cho bất kỳ ai.",
                            ],
                        },
                    ),
                    kc(
                        "Người thân nhắn vay tiền, gọi video mờ vài giây rồi tắt. Bạn nên:",
                        [
                            "Chuyển ngay",
                            "Gọi lại số quen để xác minh",
                            "Gửi OTP",
                            "Chuyển trước một nửa",
                        ],
                        1,
                        "Video deepfake thường mờ và rất ngắn.",
                    ),
                ],
            },
            {
                "title": "Khi đã bị lừa",
                "summary": "Làm gì ngay, báo ở đâu, và cảnh giác lời mời “lấy lại tiền”.",
                "body": [
                    (
                        "steps",
                        {
                            "title": "Làm ngay",
                            "steps": [
                                {
                                    "screenshot": None,
                                    "text": "<p><b>Dừng</b> mọi giao dịch, không chuyển thêm.</p>",
                                },
                                {
                                    "screenshot": None,
                                    "text": "<p>Gọi <b>ngân hàng</b> để khóa tài khoản, thẻ.</p>",
                                },
                                {
                                    "screenshot": None,
                                    "text": "<p>Nếu lỡ cài ứng dụng giả: khôi phục cài đặt gốc, đổi mật khẩu các tài khoản.</p>",
                                },
                                {
                                    "screenshot": screen(
                                        "Trình báo",
                                        ["Gọi 156 / nhắn 5656", "LD [số lừa đảo] [nội dung]"],
                                        "Gửi",
                                        "red",
                                    ),
                                    "text": "<p>Phản ánh qua đầu số <b>156</b> hoặc <b>5656</b> và <b>trình báo công an</b>.</p>",
                                },
                            ],
                        },
                    ),
                    (
                        "callout",
                        {
                            "kind": "warning",
                            "title": "Lừa đảo lần hai",
                            "text": "<p>Cảnh giác với lời mời “lấy lại tiền đã mất” có thu phí: đó cũng là lừa đảo.</p>",
                        },
                    ),
                    kc(
                        "Đầu số miễn phí để phản ánh cuộc gọi, tin nhắn lừa đảo là:",
                        ["113", "1900xxxx", "156 (hoặc 5656)", "115"],
                        2,
                        "Cú pháp tin nhắn: LD [số điện thoại] [nội dung].",
                    ),
                    kc(
                        "Lỡ cài ứng dụng giả và bị mất tiền, chỉ cần gỡ ứng dụng là đủ?",
                        [
                            "Đủ",
                            "Chưa: khóa tài khoản, khôi phục cài đặt gốc, đổi mật khẩu, trình báo",
                            "Tắt máy",
                            "Đổi SIM",
                        ],
                        1,
                        "Mã độc có thể vẫn điều khiển máy sau khi gỡ ứng dụng.",
                    ),
                ],
            },
        ],
    },
    {
        "title": "An toàn thông tin, bảo vệ tài khoản",
        "slug": "an-toan-thong-tin-bao-ve-tai-khoan",
        "topic": "an-toan-thong-tin",
        "colour": "amber",
        "summary": "Mật khẩu mạnh và xác thực hai lớp, giữ kín OTP, cài ứng dụng an toàn, dùng Wi-Fi công cộng "
        "và kiểm tra tên miền.",
        "minutes": 20,
        "skills": "Tự bảo vệ trên không gian mạng",
        "lessons": [
            {
                "title": "Mật khẩu mạnh và xác thực hai lớp",
                "summary": "Dài, nhiều loại ký tự, không dùng lại.",
                "body": [
                    (
                        "do_dont",
                        {
                            "do_items": [
                                "Mật khẩu dài, có chữ hoa, chữ thường, số và ký tự đặc biệt.",
                                "Mỗi tài khoản một mật khẩu khác nhau.",
                                "Bật xác thực hai lớp (2FA).",
                            ],
                            "dont_items": [
                                "Dùng tên, ngày sinh, 12345678.",
                                "Dùng lại một mật khẩu cho mọi nơi.",
                            ],
                        },
                    ),
                    kc(
                        "Mật khẩu nào an toàn nhất?",
                        ["12345678", "Lan1990", "matkhau", "Ca-Phe!Sua-Da#Sang7"],
                        3,
                        "Dài, nhiều loại ký tự, không chứa tên hay ngày sinh.",
                    ),
                ],
            },
            {
                "title": "OTP và mật khẩu là của riêng bạn",
                "summary": "Không ai có quyền hỏi mã OTP của bạn.",
                "body": [
                    (
                        "text",
                        "<p>Ngân hàng Nhà nước khuyến cáo: <b>không cung cấp mã OTP qua bất kỳ kênh nào</b>, kể cả với người xưng là "
                        "nhân viên ngân hàng, công an hay người thân.</p>",
                    ),
                    kc(
                        "Ai được biết mã OTP ngân hàng của bạn?",
                        [
                            "Nhân viên ngân hàng gọi đến",
                            "Công an",
                            "Chỉ mình bạn",
                            "Người thân qua Zalo",
                        ],
                        2,
                        "Không cung cấp OTP qua bất kỳ kênh nào.",
                    ),
                ],
            },
            {
                "title": "Cập nhật máy và cài ứng dụng an toàn",
                "summary": "Chỉ cài từ kho chính thức; cảnh giác quyền Trợ năng và đọc SMS.",
                "body": [
                    (
                        "callout",
                        {
                            "kind": "tip",
                            "title": "",
                            "text": "<p>Cập nhật hệ điều hành và ứng dụng thường xuyên. Chỉ cài ứng dụng từ <b>App Store</b> hoặc <b>CH Play</b>.</p>",
                        },
                    ),
                    (
                        "scam_alert",
                        {
                            "title": "Ứng dụng lạ đòi quyền Trợ năng",
                            "tactic": "Ứng dụng giả xin quyền Trợ năng và quyền đọc tin nhắn SMS để đọc OTP, điều khiển máy.",
                            "red_flags": [
                                "Cài từ đường link, không phải kho ứng dụng",
                                "Xin quyền Trợ năng, đọc SMS",
                            ],
                            "what_to_do": ["Từ chối cấp quyền.", "Gỡ ứng dụng ngay."],
                            "report_to": REPORT,
                        },
                    ),
                    kc(
                        "Ứng dụng lạ đòi quyền “Trợ năng” và đọc SMS. Bạn nên:",
                        ["Cấp quyền", "Từ chối, gỡ ngay", "Cấp tạm thời", "Khởi động lại máy"],
                        1,
                        "Mã độc dùng các quyền này để lấy OTP.",
                    ),
                ],
            },
            {
                "title": "Wi-Fi công cộng và tên miền",
                "summary": "Hạn chế giao dịch trên Wi-Fi lạ; kiểm tra trang web trước khi nhập thông tin.",
                "body": [
                    (
                        "text",
                        "<p>Khi chuyển tiền, hạn chế dùng Wi-Fi quán cà phê; hãy dùng <b>4G/5G</b>. Trang của cơ quan nhà nước có đuôi "
                        "<b>.gov.vn</b>, ví dụ vneid.gov.vn.</p><p>Nghi ngờ một trang web? Tra cứu tại <b>tinnhiemmang.vn/website-lua-dao</b>.</p>",
                    ),
                    kc(
                        "Tên miền thường gặp của cơ quan nhà nước là:",
                        [".com", ".top", ".gov.vn", ".xyz"],
                        2,
                        "Ví dụ: vneid.gov.vn, dichvucong.gov.vn.",
                    ),
                    kc(
                        "Chuyển tiền qua Wi-Fi quán cà phê:",
                        [
                            "An toàn",
                            "Hạn chế; dùng 4G/5G",
                            "Tắt Bluetooth là đủ",
                            "Chỉ iPhone gặp rủi ro",
                        ],
                        1,
                        "Khuyến cáo của Ngân hàng Nhà nước.",
                    ),
                    (
                        "takeaways",
                        {
                            "items": [
                                "Giao dịch bằng 4G/5G.",
                                "Kiểm tra đuôi .gov.vn.",
                                "Tra cứu tinnhiemmang.vn khi nghi ngờ.",
                            ]
                        },
                    ),
                ],
            },
        ],
    },
]
