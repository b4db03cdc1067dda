"""Every user-facing text of the product, in Russian, in one place (STYLE.md rule 3).

Texts quoted in SPEC.md are verbatim here; tests hold the literals, so a change shows.
"""
from __future__ import annotations

from decimal import Decimal

from lkk_integration.clock import MOSCOW
from lkk_integration.quantities import plain_decimal


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian noun form agreeing with `n`: plural(21, 'строка', 'строки', 'строк') -> 'строка'.

    Rule: 1, 21, 31… take `one`; 2–4, 22–24… take `few`; 0, 5–20, 25–30… take `many`
    (11–14 always `many`).
    """
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def count_of(n: int, one: str, few: str, many: str) -> str:
    """'5 дней', '1 день', '22 строки'."""
    return f"{n} {plural(n, one, few, many)}"


def days(n: int) -> str:
    return count_of(n, "день", "дня", "дней")


def rows(n: int) -> str:
    return count_of(n, "строка", "строки", "строк")


ZONE_LABELS = ("Т1", "Т2", "Т3")
ZONE_TYPES = {1: "Однотарифный", 2: "Двухтарифный", 3: "Трехтарифный"}


def kwh_text(value: Decimal) -> str:
    """A reading as people write it: '12345,6' (decimal comma, no exponent)."""
    return format(plain_decimal(value), "f").replace(".", ",")


# --- readings checks (SPEC.md, "Readings checks") ---------------------------------------
NO_READINGS = "Показания не указаны"
METER_UNKNOWN = "Счетчик не найден"
METER_AMBIGUOUS = "Номер счетчика подходит к нескольким счетчикам, укажите номер полностью"
METER_NOT_OF_ACCOUNT = "Счетчик не относится к указанному лицевому счету"
METER_NOT_OF_APARTMENT = "Счетчик не относится к указанной квартире"
METER_REPEATED = "Счетчик указан в файле повторно"
DATE_MISSING = "Не указана дата показания"
DATE_UNREADABLE = "Дата показания не распознана"
DATE_IN_FUTURE = "Дата показания в будущем"
DATE_BEFORE_LAST = "Дата показания раньше даты последних учтенных показаний"
DATE_OUTSIDE_PERIOD = "Дата показания вне периода передачи показаний"
METER_LEADING_ZEROS_RESTORED = "Номер счетчика восстановлен с ведущими нулями: {number}"
ROW_HIDDEN = "Строка скрыта в файле, показания из нее прочитаны"
# Places named at most, so that a meter on thousands of rows keeps a short note.
_PLACES_SHOWN = 10


def meter_in_rows(places: list[tuple[str, int]]) -> str:
    """«Счетчик указан в файле несколько раз: строки 4, 10» for the (sheet, row) places of one
    meter; sheets are named when the rows are on more than one; past ten places, «…»."""
    shown = places[:_PLACES_SHOWN]
    tail = ", …" if len(places) > _PLACES_SHOWN else ""
    if len({sheet for sheet, _row in places}) == 1:
        where = "строки " + ", ".join(str(row) for _sheet, row in shown) + tail
    else:
        where = "; ".join(f"лист «{sheet}», строка {row}" for sheet, row in shown) + tail
    return f"Счетчик указан в файле несколько раз: {where}"


def formula_without_value(columns: list[str]) -> str:
    """The note of cells whose formula has no saved value (a program that does not calculate
    wrote the file): what to do so that the values are there."""
    if len(columns) == 1:
        what = f"{columns[0]}: в ячейке формула без сохраненного значения"
    else:
        what = f"{', '.join(columns)}: в ячейках формулы без сохраненных значений"
    return (f"{what}. Откройте файл в Excel или LibreOffice Calc и сохраните его (или вставьте "
            f"вместо формул значения)")


def zone_missing(zone: str) -> str:
    return f"Не указаны показания {zone}"


def zone_extra(zone: str, zones: int) -> str:
    return f"Лишние показания {zone}: счетчик {ZONE_TYPES[zones].lower()}"


def not_a_number(zone: str) -> str:
    return f"{zone}: не число"


def negative(zone: str) -> str:
    return f"{zone}: отрицательное значение"


def too_many_fraction_digits(zone: str, allowed: int) -> str:
    if allowed == 0:
        return f"{zone}: должно быть целым числом"
    return f"{zone}: больше {allowed} {plural(allowed, 'знака', 'знаков', 'знаков')} после запятой"


def too_many_integer_digits(zone: str, capacity: int) -> str:
    return f"{zone}: больше {capacity} {plural(capacity, 'разряда', 'разрядов', 'разрядов')} до запятой (разрядность счетчика)"


def lower_than_last(zone: str, last: Decimal) -> str:
    return f"{zone} меньше последних учтенных показаний ({kwh_text(last)})"


# --- spreadsheets ------------------------------------------------------------------------
FILE_EMPTY = "Файл пуст. Выберите заполненный файл шаблона."
FILE_NOT_SPREADSHEET = ("Файл не распознан как таблица Excel. Загрузите файл .xls или .xlsx, "
                        "заполненный по шаблону.")
FILE_DAMAGED = "Файл поврежден и не может быть прочитан. Сохраните его заново и повторите загрузку."
FILE_FORBIDDEN_XML = ("Файл содержит запрещенные конструкции XML (DTD, сущности, в том числе "
                      "внешние) и не будет прочитан. Программы электронных таблиц их не "
                      "записывают: сохраните файл заново в Excel или LibreOffice Calc.")
FILE_TOO_LARGE = "Файл больше {limit_mb} МБ. Разделите его на несколько файлов."
FILE_NO_TEMPLATE_SHEETS = ("В файле не найден лист шаблона: нет строки заголовков со столбцами "
                           "{columns}.")
FILE_MISSING_COLUMNS = ("В файле нет столбцов {columns} (лист «{sheet}», строка заголовков {row}). "
                        "Скачайте новый шаблон или добавьте эти столбцы.")
SHEET_HIDDEN = "Скрытый лист «{sheet}» не прочитан. Сделайте его видимым, если в нем показания."
SHEET_WITHOUT_HEADER = ("Лист «{sheet}» не прочитан: в нем нет строки заголовков шаблона "
                        "(«№ счетчика», «Т1», «Т2», «Т3», «Дата показания»).")
FILE_NO_ROWS = "В файле нет строк с показаниями."
FILE_TOO_MANY_ROWS = "В файле больше {limit} строк. Разделите его на несколько файлов."
FILE_TOO_MANY_SHEETS = "В файле больше {limit} листов. Оставьте листы шаблона и загрузите файл снова."
FILE_UNZIPPED_TOO_LARGE = ("Файл .xlsx после распаковки больше {limit_mb} МБ. Сохраните его заново "
                           "или разделите на несколько файлов.")
FILE_TOO_MANY_CELLS = ("В файле больше {limit} заполненных ячеек (с учетом пустых слева от них). "
                       "Оставьте столбцы шаблона и загрузите файл снова.")
FILE_PACKED_SUSPICIOUSLY = ("Файл .xlsx сжат подозрительно сильно и не будет прочитан. Сохраните "
                            "его заново в программе электронных таблиц.")
CHOOSE_HOUSE = "Выберите хотя бы один дом"
# Names of the files the cabinet gives (Content-Disposition's filename*), without extension.
TEMPLATE_FILE_NAME = "шаблон"
ERRORS_FILE_NAME = "ошибки"
MISSING_FILE_NAME = "без-показаний"
FILE_NOT_CHOSEN = "Выберите файл для загрузки."


def upload_counts(kind_label: str, valid: int, wrong: int) -> str:
    return f"{kind_label}: Верных – {valid}, ошибок – {wrong}"


def send_confirmation(valid: int, wrong: int) -> str:
    """SPEC.md item 11, with the numerals agreeing: «… 5 верных и 21 ошибочная строка …»."""
    return (f"В загруженном файле {valid} {plural(valid, 'верная', 'верных', 'верных')} и "
            f"{wrong} {plural(wrong, 'ошибочная', 'ошибочных', 'ошибочных')} "
            f"{plural(wrong, 'строка', 'строки', 'строк')}. Показания будут "
            f"сохранены только по верным строкам. Продолжить сохранение показаний?")


def _for_rows(n: int) -> str:
    """«для 1 строки», «для 2 строк», «для 21 строки» (genitive after «для»)."""
    return f"для {n} {plural(n, 'строки', 'строк', 'строк')}"


def sent_individual(n: int) -> str:
    """SPEC.md item 11."""
    return f"Успешно отправлены показания {_for_rows(n)} по индивидуальным приборам учета"


def sent_common_house(n: int) -> str:
    """SPEC.md item 11."""
    return f"Успешно отправлены показания {_for_rows(n)} по общедомовым приборам учета"


METER_GONE = "Счетчик снят или больше не обслуживается организацией"


def buffer_changed(n: int) -> str:
    """Sending found rows that the meters' changes since the upload made wrong."""
    return (f"После загрузки файла изменились данные счетчиков: {n} "
            f"{plural(n, 'строка стала', 'строки стали', 'строк стали')} ошибочными (см. "
            f"примечания). Показания не отправлены; проверьте файл и отправьте верные строки "
            f"снова.")


CHOOSE_ROWS = "Выберите строки для удаления"
DELETE_ROWS_CONFIRMATION = "Вы действительно хотите удалить выбранные строки файла?"


def rows_deleted(n: int) -> str:
    return f"Удалено {n} {plural(n, 'строка', 'строки', 'строк')} файла"


def rows_selected(n: int) -> str:
    return f"Выбрано: {n} {plural(n, 'строка', 'строки', 'строк')}"


def uploaded_before(uploaded_at, sent_at) -> str:
    """SPEC.md item 11: the same file (by content) was uploaded before."""
    when = f"{uploaded_at.astimezone(MOSCOW):%d.%m.%Y %H:%M}"
    if sent_at is None:
        return f"Этот файл уже загружался {when} и не был отправлен."
    return (f"Этот файл уже загружался {when}; показания из него были отправлены "
            f"{sent_at.astimezone(MOSCOW):%d.%m.%Y %H:%M}. Можно продолжить работу с ним.")


def already_sent(file_name: str, sent_at, readings: int) -> str:
    """A send repeated after it went through (a second click, a retry after a lost answer)."""
    return (f"Файл «{file_name}» уже отправлен {sent_at.astimezone(MOSCOW):%d.%m.%Y %H:%M}: "
            f"передано {readings} {plural(readings, 'показание', 'показания', 'показаний')}.")


NOTHING_TO_SEND = "В файле нет верных строк: отправлять нечего."
BUFFER_REPLACES = ("Загруженный ранее и не отправленный файл «{file_name}» будет заменен новым "
                   "файлом.")
PAGE_NOT_FOUND = "Страница не найдена"
METHOD_NOT_ALLOWED = "Это действие так выполнить нельзя. Вернитесь на страницу и повторите."
INTERNAL_ERROR = "Внутренняя ошибка. Повторите попытку позже; если она повторится, сообщите код: {code}"
SERVICE_UNAVAILABLE = ("Сервис временно недоступен: нет связи с базой данных. Повторите попытку "
                       "через минуту; если это повторится, сообщите код: {code}")
SOAP_UNAVAILABLE = ("Сервис временно недоступен: нет связи с базой данных. Повторите запрос "
                    "позже (запись — с тем же RequestId). Код обращения: {code}")
BUFFER_GONE = "Загруженный файл не найден или уже отправлен. Загрузите файл заново."


# --- submission period -------------------------------------------------------------------
def period_closed(start_day: int, end_day: int) -> str:
    """SPEC.md item 5, verbatim."""
    return f"Передача показаний возможна с {start_day} по {end_day} число"


def days_until_open(n: int) -> str:
    return f"До начала периода передачи показаний: {days(n)}"


def days_until_close(n: int) -> str:
    return f"Идет период передачи показаний. До его окончания: {days(n)}"


# --- manual entry (SPEC.md items 6–8) -----------------------------------------------------
MANUAL_REFUSED = "Показания не приняты"
CHOOSE_APARTMENT_METER = "В квартире несколько лицевых счетов или счетчиков. Выберите счетчик:"
NO_METERS_AT_APARTMENT = "В этой квартире нет счетчиков для передачи показаний"
NO_COMMON_HOUSE_METERS = "У этого дома нет общедомовых приборов учета"
NO_SUBMITTED_READINGS = "Действующих показаний, переданных вручную в этом периоде, нет"
DELETE_CONFIRMATION = "Вы действительно хотите удалить выбранное показание?"
READING_DELETED = "Показание удалено"
CHOOSE_READING = "Выберите показание для удаления"
READING_NOT_DELETABLE = ("Показание не найдено или его нельзя удалить: удалить можно только "
                         "действующее показание, переданное вручную в текущем сеансе работы и "
                         "еще не принятое биллингом")
ONLY_THIS_SESSION = "Удалить можно только показания, переданные в текущем сеансе работы."


CHANNEL_LABELS = {"manual": "вручную", "file": "из файла", "billing": "биллингом"}


def manual_sent(meter_number: str, replaced: bool, note: str | None) -> str:
    """The success message of manual entry (SPEC.md items 6–7), saying what else happened."""
    text = f"Показания по счетчику № {meter_number} успешно отправлены"
    if replaced:
        text += ". Они заменили показания, переданные ранее в этом периоде"
    return f"{text}. {note}" if note else text


def zone_values(values) -> str:
    """«Т1 1100; Т2 300,5» for the zones that have a value."""
    return "; ".join(f"{zone} {kwh_text(v)}" for zone, v in zip(ZONE_LABELS, values)
                     if v is not None)


def reading_deleted(restored) -> str:
    """After a delete; names the reading that is current again, if any (SPEC.md item 8)."""
    if restored is None:
        return READING_DELETED
    return (f"{READING_DELETED}. Действующим снова стало показание от "
            f"{restored.reading_date:%d.%m.%Y}: {zone_values(restored.values)}")


def already_submitted(current) -> str:
    """The meter card's line about a reading already submitted in the period."""
    return (f"В этом периоде уже переданы показания от {current.reading_date:%d.%m.%Y} "
            f"({CHANNEL_LABELS.get(current.channel, current.channel)}): "
            f"{zone_values(current.values)}. Новые показания заменят их.")


def submitted_on(today) -> str:
    """SPEC.md item 8's title: «Переданные показания на 20.03.2026»."""
    return f"Переданные показания на {today:%d.%m.%Y}"


# --- coverage and the billing's verdicts (issue 7) -----------------------------------------
VERDICT_ACCEPTED = "Принято биллингом"
VERDICT_PENDING = "Ожидает проверки биллингом"
NO_MISSING_METERS = "Показания переданы по всем счетчикам"


def verdict_declined(reason: str | None) -> str:
    return f"Отклонено биллингом: {reason}" if reason else "Отклонено биллингом"


def coverage_line(covered: int, meters: int, percent: int) -> str:
    """«Передано: 12 из 30 счетчиков (40 %)»."""
    return (f"Передано: {covered} из {meters} "
            f"{plural(meters, 'счетчика', 'счетчиков', 'счетчиков')} ({percent} %)")


# --- administration (issue 7) ---------------------------------------------------------------
SAVED = "Изменения сохранены"
DATES_REVERSED = "Дата «С» позже даты «По»: ничего не найдено"


def filters_not_understood(names: list[str]) -> str:
    return ("Не распознаны условия поиска: " + ", ".join(f"«{n}»" for n in names)
            + " (числа; даты с 2000 по 2100 год). Они не учтены.")
NOTHING_CHANGED = "Изменений нет"


# --- sign-in -----------------------------------------------------------------------------
LOGIN_FAILED = "Неверный логин или пароль"
LOGIN_REQUIRED_FIELDS = "Не заполнены обязательные поля!"
ACCOUNT_INACTIVE = "Учетная запись отключена. Обратитесь в контакт-центр."
PASSWORD_POLICY = ("Пароль не соответствует установленным ограничениям! Пароль должен содержать "
                   "от 8 до 20 цифр (0-9) и/или букв латинского алфавита (A-Z)!")
PASSWORDS_DIFFER = "Введённые пароли не совпадают!"
PASSWORD_POLICY_ASVS = "Пароль не соответствует установленным ограничениям! Пароль должен содержать от 12 до 128 символов!"
PASSWORD_TOO_COMMON = "Этот пароль слишком распространён, выберите другой"
TOKEN_INVALID = ("Ссылка недействительна: она уже использована, устарела или заменена более "
                 "новой. Запросите новую ссылку через «Забыли пароль?» или в контакт-центре.")
WELCOME_TITLE = "Добро пожаловать в Личный кабинет!"
NEW_PASSWORD_TITLE = "Ввод нового пароля"

# --- mail --------------------------------------------------------------------------------
ACTIVATION_SUBJECT = "Доступ в Личный кабинет обслуживающей организации"
ACTIVATION_BODY = """Здравствуйте, {name}!

Для организации «{organization}» создан Личный кабинет обслуживающей организации.
Ваш логин: {email}

Чтобы задать пароль и войти, откройте ссылку в течение {hours} часов:
{link}

Если ссылка устарела, обратитесь в контакт-центр: вам отправят новую.
"""
RECEIPT_SUBJECT = "Показания переданы"
RECEIPT_BODY = """Здравствуйте, {name}!

Из файла «{file_name}» переданы показания:
- по индивидуальным приборам учета: {individual};
- по общедомовым приборам учета: {common_house}.

Время отправки (МСК): {sent_at}.
"""

# --- SOAP ---------------------------------------------------------------------------------
REQUIRED_FIELD = "Не заполнено обязательное поле {field}"
# lkk_integration/text.py: one set for every channel; {field} is «Поле ShortName» or a label.
FORBIDDEN_CHARACTERS = ("{field}: управляющие символы не допускаются, в том числе невидимые и "
                        "меняющие направление текста ({codes})")
EMAIL_TAKEN = "Адрес электронной почты {email} уже используется другой учетной записью"
CONTRACT_TAKEN = "Номер договора {number} уже присвоен другой организации"
ID_TAKEN = "Идентификатор {field}={value} уже используется"
REQUEST_ID_REUSED = "Запрос с RequestId={request_id} уже выполнен с другим содержимым"
ORGANIZATION_NOT_FOUND = "Организация {id} не найдена"
BAD_EMAIL = "Поле {field}: неверный адрес электронной почты"
EMAIL_INVALID = "Неверный адрес электронной почты"
BAD_ZONES = "Поле {field}: число тарифных зон должно быть 1, 2 или 3"
BAD_CAPACITY = "Поле {field}: разрядность должна быть от 1 до 12"
BAD_RATIO = ("Поле {field}: коэффициент трансформации — число больше нуля и не больше "
             "1 000 000, не больше 4 знаков после точки")
BAD_LIMIT = "Поле Limit: от 1 до {max}"
# An integer literal the field's type cannot hold: the range is its facets' or the type's own.
OUT_OF_RANGE = "Поле {field}: значение «{value}» вне допустимого диапазона: от {low} до {high}"
CURSOR_AHEAD = "Поле Cursor: {cursor} больше последнего выданного номера {last}"
AUTH_REQUIRED = "Требуется аутентификация HTTP Basic"
SOAP_CHARSET_UNKNOWN = ("Неизвестная или неподдерживаемая кодировка {charset}: запрос принимается "
                        "в UTF-8, UTF-16, UTF-32 или в кодировке, совместимой с ASCII "
                        "(windows-1251, koi8-r)")
SOAP_CHARSETS_DISAGREE = "Кодировка {first} ({a}) не совпадает с кодировкой {second} ({b})"
SOAP_CHARSET_FROM_BYTES = "тела запроса"
SOAP_CHARSET_FROM_HEADER = "в заголовке"
SOAP_CHARSET_FROM_DECLARATION = "в XML"
SOAP_NOT_IN_CHARSET = "Тело запроса не в кодировке {charset}"
SOAP_BAD_CONTENT_LENGTH = "Заголовок Content-Length должен быть числом байт тела запроса"
SOAP_ENVELOPE_PARTS = ("Конверт SOAP 1.1 состоит из необязательного soap:Header и одного "
                       "soap:Body с операцией, без текста и других частей")
SOAP_MUST_UNDERSTAND_VALUE = "Атрибут mustUnderstand заголовка {header} должен быть 0 или 1"
SOAP_UNREADABLE_BODY = ("Тело запроса не удалось прочитать: нарушено кодирование частями "
                        "(Transfer-Encoding: chunked) или соединение прервано")


def verification_expired(due) -> str:
    return f"Истек срок поверки счетчика ({due:%d.%m.%Y})"
HOUSE_NOT_FOUND = "Дом {id} не найден"
HOUSE_OF_OTHER = "Дом {id} обслуживает другая организация"
ACCOUNT_OF_OTHER = "Лицевой счет {number} относится к другому дому"
METER_NOT_FOUND = "Счетчик {id} не найден"
METER_ARCHIVED = "Счетчик {id} уже заменен или снят"
METER_ELSEWHERE = "Счетчик {id} относится к другому дому или лицевому счету"
METER_KIND_CHANGED = "Счетчик {id}: нельзя сделать индивидуальный счетчик общедомовым и наоборот"
READING_NOT_FOUND = "Показание {id} не найдено среди переданных обслуживающими организациями"
REASON_REQUIRED = "Поле {field}: для отклоненного показания нужна причина"
QUOTA_EXCEEDED = "Превышена квота: не более {limit} вызовов в минуту. Повторите позже"
EMAIL_CHANGED_SUBJECT = "Изменен адрес входа в Личный кабинет"
EMAIL_CHANGED_OLD_BODY = """Здравствуйте, {name}!

Адрес входа в Личный кабинет организации «{organization}» изменен с {old} на {new}.
Если вы об этом не знаете, обратитесь в контакт-центр.
"""
EMAIL_CHANGED_NEW_BODY = """Здравствуйте, {name}!

Теперь вы входите в Личный кабинет организации «{organization}» с адресом {new}.
Пароль остался прежним.
"""


def too_many_attempts(minutes: int) -> str:
    """SPEC.md / issue 4, verbatim."""
    return f"Слишком много попыток входа. Повторите через {minutes} мин."


RECOVERY_SENT = ("Если адрес зарегистрирован, на него отправлена временная ссылка для ввода нового "
                 "пароля. Откройте ее в течение 60 часов, иначе процедуру придется начать заново.")
RECOVERY_LOST_MAILBOX = "Нет доступа к почтовому ящику? Обратитесь в"
RECOVERY_RECEPTION = "виртуальную приемную энергосбытовой компании"
RECOVERY_SUBJECT = "Восстановление пароля в Личном кабинете"
RECOVERY_BODY = """Здравствуйте, {name}!

Для входа в Личный кабинет организации «{organization}» задайте новый пароль по ссылке
(она действует {hours} часов и один раз):
{link}

Если вы не запрашивали восстановление пароля, просто удалите это письмо.
"""
CURRENT_PASSWORD_WRONG = "Текущий пароль указан неверно"
PASSWORD_CHANGED = "Пароль изменен"
EMAIL_CONFIRM_SENT = ("На новый адрес отправлено письмо со ссылкой. Адрес входа изменится, когда вы "
                      "откроете ссылку (в течение 60 часов).")
EMAIL_CHANGED = "Адрес входа изменен"
EMAIL_SAME = "Новый адрес совпадает с текущим"
EMAIL_CONFIRM_SUBJECT = "Подтвердите новый адрес входа в Личный кабинет"
EMAIL_CONFIRM_BODY = """Здравствуйте, {name}!

Чтобы входить в Личный кабинет организации «{organization}» с адресом {new}, откройте ссылку
в течение {hours} часов:
{link}
"""
EMAIL_CHANGE_REQUESTED_BODY = """Здравствуйте, {name}!

Запрошена смена адреса входа в Личный кабинет организации «{organization}» на {new}.
Адрес изменится, когда владелец нового адреса подтвердит его по ссылке из письма.
Если вы этого не делали, смените пароль и обратитесь в контакт-центр.
"""


def rollover(zone: str, last, value) -> str:
    return f"{zone}: переход счетчика через ноль ({kwh_text(last)} → {kwh_text(value)})"


def above_ceiling(consumed, ceiling, days_count: int) -> str:
    return (f"Расход {kwh_text(consumed)} кВт·ч больше допустимого: {kwh_text(ceiling)} кВт·ч "
            f"за {days(days_count)}")
