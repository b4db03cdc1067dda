-- The demo database of an early release, at Alembic revision 0001 (the baseline), for
-- tests/test_old_demo_upgrade.py: a fresh clone must upgrade it with `lkk upgrade-db`.
-- Generated 2026-12-01 from commit 6ec21f6aaadb2e11364e97eb98aa1c6059a19662 (6ec21f6), checked
-- out in a temporary worktree, by:
--   cd <worktree> && PYTHONPATH=<worktree> LKK_VAR_DIR=/tmp/olddemo-var \
--     python -c "from lkk_integration.cli import main; main()" demo --no-serve
-- then Python's sqlite3 Connection.iterdump() of var/demo.sqlite3. All data is the demo's
-- invented data (lkk_integration/demo.py); its contact person signs in as demo@example.org
-- with the password Demo2026pass. Do not edit by hand: regenerate as above.
BEGIN TRANSACTION;
CREATE TABLE action_token (
	id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	purpose VARCHAR(20) NOT NULL, 
	token_sha256 VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	revoked_at DATETIME, 
	CONSTRAINT pk_action_token PRIMARY KEY (id), 
	CONSTRAINT ck_action_token_purpose CHECK (purpose IN ('activation', 'recovery')), 
	CONSTRAINT fk_action_token_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id), 
	CONSTRAINT uq_action_token_token_sha256 UNIQUE (token_sha256)
);
INSERT INTO "action_token" VALUES(1,1,'activation','5658b4100fab9c1c3433122cd76b9f0eddd39c8744d136207e0ba2797584c885','2026-12-01 03:53:31.153060','2026-12-03 15:53:31.153060',NULL,'2026-12-01 03:53:31.169690');
INSERT INTO "action_token" VALUES(2,1,'activation','7f47fecca7c7324061ffc39ca345d26c36ca8de97f65cf944d010d6d3c80f03c','2026-12-01 03:53:31.169690','2026-12-03 15:53:31.169690','2026-12-01 03:53:31.176351',NULL);
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0001');
CREATE TABLE contact_person (
	id INTEGER NOT NULL, 
	organization_id INTEGER NOT NULL, 
	full_name VARCHAR(300) NOT NULL, 
	mobile_phone VARCHAR(30), 
	email VARCHAR(254) NOT NULL, 
	email_normalized VARCHAR(254) NOT NULL, 
	password_hash VARCHAR(200), 
	password_changed_at DATETIME, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_contact_person PRIMARY KEY (id), 
	CONSTRAINT uq_contact_person_organization_id UNIQUE (organization_id), 
	CONSTRAINT fk_contact_person_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT uq_contact_person_email_normalized UNIQUE (email_normalized)
);
INSERT INTO "contact_person" VALUES(1,1,'Демидова Алина Сергеевна','+7 900 000-00-01','demo@example.org','demo@example.org','$argon2id$v=19$m=19456,t=2,p=1$TPB1WhxVneNyzNkYh14Llg$ouJONTVqTkQgMmdAnrFzuM08ZrY1xcek8uHoCInB8FM','2026-12-01 03:53:31.176351','2026-12-01 03:53:30.937513');
CREATE TABLE export_counter (
	id INTEGER NOT NULL, 
	last_seq BIGINT NOT NULL, 
	CONSTRAINT pk_export_counter PRIMARY KEY (id)
);
INSERT INTO "export_counter" VALUES(1,0);
CREATE TABLE export_event (
	seq INTEGER NOT NULL, 
	reading_id INTEGER NOT NULL, 
	kind VARCHAR(10) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_export_event PRIMARY KEY (seq), 
	CONSTRAINT ck_export_event_kind CHECK (kind IN ('submitted', 'deleted')), 
	CONSTRAINT fk_export_event_reading_id_reading FOREIGN KEY(reading_id) REFERENCES reading (id)
);
CREATE TABLE house (
	id INTEGER NOT NULL, 
	organization_id INTEGER NOT NULL, 
	billing_id VARCHAR(64) NOT NULL, 
	settlement VARCHAR(200) NOT NULL, 
	street VARCHAR(200) NOT NULL, 
	house_number VARCHAR(50) NOT NULL, 
	removed_at DATETIME, 
	CONSTRAINT pk_house PRIMARY KEY (id), 
	CONSTRAINT fk_house_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT uq_house_billing_id UNIQUE (billing_id)
);
INSERT INTO "house" VALUES(1,1,'H-VAV-45','Москва г.','Вавилова ул.','45',NULL);
INSERT INTO "house" VALUES(2,1,'H-LEN-5-2','Москва г.','Ленинградский просп.','5 стр.2',NULL);
INSERT INTO "house" VALUES(3,1,'H-PRF-46-1','Москва г.','Профсоюзная ул.','46 корп.1',NULL);
INSERT INTO "house" VALUES(4,1,'H-KLM-10','Климовск г.','Заводская ул.','10',NULL);
CREATE TABLE login_session (
	id INTEGER NOT NULL, 
	token_sha256 VARCHAR(64) NOT NULL, 
	public_id VARCHAR(64) NOT NULL, 
	person_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	last_seen_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	CONSTRAINT pk_login_session PRIMARY KEY (id), 
	CONSTRAINT uq_login_session_token_sha256 UNIQUE (token_sha256), 
	CONSTRAINT uq_login_session_public_id UNIQUE (public_id), 
	CONSTRAINT fk_login_session_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id)
);
INSERT INTO "login_session" VALUES(1,'51dd3807029f875e97e094af1a9bf45c0d3caf09b8305520e1296c07968ffa22','sQeczxsz6RQJu3givihavg',1,'2026-12-01 03:53:31.261831','2026-12-01 03:53:31.261831',NULL);
CREATE TABLE mail_message (
	id INTEGER NOT NULL, 
	to_address VARCHAR(254) NOT NULL, 
	subject VARCHAR(300) NOT NULL, 
	body TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	attempts INTEGER NOT NULL, 
	sent_at DATETIME, 
	last_error TEXT, 
	CONSTRAINT pk_mail_message PRIMARY KEY (id)
);
INSERT INTO "mail_message" VALUES(1,'demo@example.org','Доступ в Личный кабинет обслуживающей организации','Здравствуйте, Демидова Алина Сергеевна!

Для организации «ООО «УК «Демо-Сервис»» создан Личный кабинет обслуживающей организации.
Ваш логин: demo@example.org

Чтобы задать пароль и войти, откройте ссылку в течение 60 часов:
http://127.0.0.1:8000/password/R_4xXhQgSvYG6EiwTfzLj2MzA6vGpgDVR9GGSqWqdgE

Если ссылка устарела, воспользуйтесь восстановлением пароля на странице входа.
','2026-12-01 03:53:31.157264','2026-12-01 03:53:31.157264',0,NULL,NULL);
CREATE TABLE meter (
	id INTEGER NOT NULL, 
	billing_id VARCHAR(64) NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	house_id INTEGER NOT NULL, 
	personal_account_id INTEGER, 
	number VARCHAR(50) NOT NULL, 
	zones SMALLINT NOT NULL, 
	capacity SMALLINT NOT NULL, 
	transformation_ratio VARCHAR(40) NOT NULL, 
	verification_due DATE, 
	last_accounted_reading_id INTEGER, 
	archived_at DATETIME, 
	CONSTRAINT pk_meter PRIMARY KEY (id), 
	CONSTRAINT ck_meter_zones CHECK (zones BETWEEN 1 AND 3), 
	CONSTRAINT ck_meter_capacity CHECK (capacity BETWEEN 1 AND 12), 
	CONSTRAINT ck_meter_kind CHECK (kind IN ('individual', 'common_house')), 
	CONSTRAINT ck_meter_account_of_individual CHECK ((kind = 'individual') = (personal_account_id IS NOT NULL)), 
	CONSTRAINT uq_meter_billing_id UNIQUE (billing_id), 
	CONSTRAINT fk_meter_house_id_house FOREIGN KEY(house_id) REFERENCES house (id), 
	CONSTRAINT fk_meter_personal_account_id_personal_account FOREIGN KEY(personal_account_id) REFERENCES personal_account (id), 
	CONSTRAINT fk_meter_last_accounted_reading_id_reading FOREIGN KEY(last_accounted_reading_id) REFERENCES reading (id)
);
INSERT INTO "meter" VALUES(1,'H-VAV-45-M215115','individual',1,1,'215115',2,5,'1','2033-06-01',1,NULL);
INSERT INTO "meter" VALUES(2,'H-VAV-45-M215138','individual',1,2,'00215138',1,6,'1','2029-04-01',2,NULL);
INSERT INTO "meter" VALUES(3,'H-VAV-45-M215219','individual',1,3,'00215219',1,6,'1','2029-11-01',3,NULL);
INSERT INTO "meter" VALUES(4,'H-VAV-45-M215281','individual',1,4,'215281',2,6,'1','2027-04-01',4,NULL);
INSERT INTO "meter" VALUES(5,'H-VAV-45-M215362','individual',1,5,'00215362',1,5,'1','2028-04-01',5,NULL);
INSERT INTO "meter" VALUES(6,'H-VAV-45-M215371','individual',1,6,'00215371',1,5,'1','2028-01-01',6,NULL);
INSERT INTO "meter" VALUES(7,'H-VAV-45-M215424','individual',1,7,'215424',2,5,'1','2033-04-01',7,NULL);
INSERT INTO "meter" VALUES(8,'H-VAV-45-M215485','individual',1,8,'00215485',2,6,'1','2032-01-01',8,NULL);
INSERT INTO "meter" VALUES(9,'H-VAV-45-M215518','individual',1,9,'00215518',1,6,'1','2032-01-01',9,NULL);
INSERT INTO "meter" VALUES(10,'H-VAV-45-M215530','individual',1,10,'00215530',2,6,'1','2029-09-01',10,NULL);
INSERT INTO "meter" VALUES(11,'H-VAV-45-M215550','individual',1,11,'00215550',1,6,'1','2028-05-01',11,NULL);
INSERT INTO "meter" VALUES(12,'H-VAV-45-M215552','individual',1,12,'215552',2,6,'1','2031-02-01',12,NULL);
INSERT INTO "meter" VALUES(13,'H-VAV-45-M215588','individual',1,13,'00215588',1,6,'1','2030-08-01',13,NULL);
INSERT INTO "meter" VALUES(14,'H-VAV-45-M215640','individual',1,14,'00215640',2,5,'1','2034-03-01',14,NULL);
INSERT INTO "meter" VALUES(15,'H-VAV-45-M215696','individual',1,15,'00215696',1,6,'1','2027-06-01',15,NULL);
INSERT INTO "meter" VALUES(16,'H-VAV-45-M215755','individual',1,16,'215755',3,5,'1','2033-08-01',16,NULL);
INSERT INTO "meter" VALUES(17,'H-VAV-45-M215823','individual',1,17,'00215823',1,6,'1','2033-04-01',17,NULL);
INSERT INTO "meter" VALUES(18,'H-VAV-45-M215862','individual',1,18,'215862',1,6,'1','2032-01-01',18,NULL);
INSERT INTO "meter" VALUES(19,'H-VAV-45-M215956','individual',1,19,'00215956',1,5,'1','2031-06-01',19,NULL);
INSERT INTO "meter" VALUES(20,'H-VAV-45-M216017','individual',1,20,'00216017',1,5,'1','2033-10-01',20,NULL);
INSERT INTO "meter" VALUES(21,'H-VAV-45-M216085','individual',1,21,'00216085',3,5,'1','2028-02-01',21,NULL);
INSERT INTO "meter" VALUES(22,'H-VAV-45-M216140','individual',1,22,'00216140',1,5,'1','2031-05-01',22,NULL);
INSERT INTO "meter" VALUES(23,'H-VAV-45-M216163','individual',1,23,'00216163',3,6,'1','2034-12-01',23,NULL);
INSERT INTO "meter" VALUES(24,'H-VAV-45-M216213','individual',1,24,'00216213',3,5,'1','2029-06-01',24,NULL);
INSERT INTO "meter" VALUES(25,'H-VAV-45-M216288','individual',1,25,'216288',2,5,'1','2028-10-01',25,NULL);
INSERT INTO "meter" VALUES(26,'H-VAV-45-M216359','individual',1,26,'00216359',2,5,'1','2033-05-01',26,NULL);
INSERT INTO "meter" VALUES(27,'H-VAV-45-M216392','individual',1,27,'216392',2,6,'1','2030-11-01',27,NULL);
INSERT INTO "meter" VALUES(28,'H-VAV-45-M216472','individual',1,28,'216472',3,5,'1','2030-06-01',28,NULL);
INSERT INTO "meter" VALUES(29,'H-VAV-45-M216490','individual',1,29,'00216490',3,5,'1','2033-11-01',29,NULL);
INSERT INTO "meter" VALUES(30,'H-VAV-45-M216570','individual',1,30,'00216570',2,6,'1','2033-03-01',30,NULL);
INSERT INTO "meter" VALUES(31,'H-LEN-5-2-M216648','individual',2,31,'00216648',1,5,'1','2031-12-01',31,NULL);
INSERT INTO "meter" VALUES(32,'H-LEN-5-2-M216717','individual',2,32,'00216717',1,5,'1','2028-06-01',32,NULL);
INSERT INTO "meter" VALUES(33,'H-LEN-5-2-M216725','individual',2,33,'00216725',2,6,'1','2031-11-01',33,NULL);
INSERT INTO "meter" VALUES(34,'H-LEN-5-2-M216805','individual',2,34,'00216805',2,5,'1','2027-04-01',34,NULL);
INSERT INTO "meter" VALUES(35,'H-LEN-5-2-M216844','individual',2,35,'00216844',3,6,'1','2034-11-01',35,NULL);
INSERT INTO "meter" VALUES(36,'H-LEN-5-2-M216919','individual',2,36,'216919',1,6,'1','2027-08-01',36,NULL);
INSERT INTO "meter" VALUES(37,'H-LEN-5-2-M216991','individual',2,37,'216991',3,6,'1','2032-01-01',37,NULL);
INSERT INTO "meter" VALUES(38,'H-LEN-5-2-M217019','individual',2,38,'00217019',2,5,'1','2034-12-01',38,NULL);
INSERT INTO "meter" VALUES(39,'H-LEN-5-2-M217081','individual',2,39,'00217081',2,6,'1','2029-08-01',39,NULL);
INSERT INTO "meter" VALUES(40,'H-LEN-5-2-M217137','individual',2,40,'00217137',2,6,'1','2033-06-01',40,NULL);
INSERT INTO "meter" VALUES(41,'H-LEN-5-2-M217193','individual',2,41,'217193',1,5,'1','2034-07-01',41,NULL);
INSERT INTO "meter" VALUES(42,'H-LEN-5-2-M217238','individual',2,42,'217238',1,6,'1','2029-06-01',42,NULL);
INSERT INTO "meter" VALUES(43,'H-LEN-5-2-M217296','individual',2,43,'00217296',3,6,'1','2029-02-01',43,NULL);
INSERT INTO "meter" VALUES(44,'H-LEN-5-2-M217347','individual',2,44,'00217347',3,5,'1','2030-06-01',44,NULL);
INSERT INTO "meter" VALUES(45,'H-LEN-5-2-M217354','individual',2,45,'217354',1,6,'1','2034-12-01',45,NULL);
INSERT INTO "meter" VALUES(46,'H-LEN-5-2-M217381','individual',2,46,'217381',2,5,'1','2030-04-01',46,NULL);
INSERT INTO "meter" VALUES(47,'H-LEN-5-2-M217462','individual',2,47,'00217462',2,5,'1','2030-09-01',47,NULL);
INSERT INTO "meter" VALUES(48,'H-LEN-5-2-M217469','individual',2,48,'00217469',1,5,'1','2031-08-01',48,NULL);
INSERT INTO "meter" VALUES(49,'H-LEN-5-2-M217502','individual',2,49,'00217502',1,6,'1','2027-11-01',49,NULL);
INSERT INTO "meter" VALUES(50,'H-LEN-5-2-M217509','individual',2,50,'00217509',2,6,'1','2028-11-01',50,NULL);
INSERT INTO "meter" VALUES(51,'H-LEN-5-2-M217568','individual',2,51,'00217568',1,6,'1','2027-05-01',51,NULL);
INSERT INTO "meter" VALUES(52,'H-LEN-5-2-M217631','individual',2,52,'00217631',2,6,'1','2034-08-01',52,NULL);
INSERT INTO "meter" VALUES(53,'H-LEN-5-2-M217714','individual',2,53,'217714',3,5,'1','2027-02-01',53,NULL);
INSERT INTO "meter" VALUES(54,'H-LEN-5-2-M217806','individual',2,54,'00217806',2,6,'1','2027-08-01',54,NULL);
INSERT INTO "meter" VALUES(55,'H-LEN-5-2-M217885','individual',2,55,'00217885',1,5,'1','2034-06-01',55,NULL);
INSERT INTO "meter" VALUES(56,'H-LEN-5-2-M217960','individual',2,56,'00217960',3,5,'1','2027-07-01',56,NULL);
INSERT INTO "meter" VALUES(57,'H-LEN-5-2-M218003','individual',2,57,'00218003',1,6,'1','2032-05-01',57,NULL);
INSERT INTO "meter" VALUES(58,'H-LEN-5-2-M218018','individual',2,58,'218018',1,5,'1','2032-04-01',58,NULL);
INSERT INTO "meter" VALUES(59,'H-LEN-5-2-M218051','individual',2,59,'218051',2,5,'1','2032-05-01',59,NULL);
INSERT INTO "meter" VALUES(60,'H-LEN-5-2-M218105','individual',2,60,'218105',2,6,'1','2032-06-01',60,NULL);
INSERT INTO "meter" VALUES(61,'H-LEN-5-2-M218136','individual',2,61,'00218136',1,5,'1','2032-03-01',61,NULL);
INSERT INTO "meter" VALUES(62,'H-LEN-5-2-M218211','individual',2,62,'218211',2,6,'1','2032-12-01',62,NULL);
INSERT INTO "meter" VALUES(63,'H-LEN-5-2-M218264','individual',2,63,'00218264',1,5,'1','2028-09-01',63,NULL);
INSERT INTO "meter" VALUES(64,'H-LEN-5-2-M218286','individual',2,64,'218286',2,5,'1','2027-05-01',64,NULL);
INSERT INTO "meter" VALUES(65,'H-LEN-5-2-M218354','individual',2,65,'00218354',2,6,'1','2033-03-01',65,NULL);
INSERT INTO "meter" VALUES(66,'H-LEN-5-2-M218441','individual',2,66,'00218441',1,6,'1','2034-09-01',66,NULL);
INSERT INTO "meter" VALUES(67,'H-LEN-5-2-M218489','individual',2,67,'218489',2,5,'1','2034-12-01',67,NULL);
INSERT INTO "meter" VALUES(68,'H-LEN-5-2-M218523','individual',2,68,'00218523',1,6,'1','2028-12-01',68,NULL);
INSERT INTO "meter" VALUES(69,'H-LEN-5-2-M218580','individual',2,69,'00218580',2,5,'1','2033-03-01',69,NULL);
INSERT INTO "meter" VALUES(70,'H-LEN-5-2-M218609','individual',2,70,'00218609',2,5,'1','2034-06-01',70,NULL);
INSERT INTO "meter" VALUES(71,'H-LEN-5-2-M218643','individual',2,71,'00218643',1,6,'1','2031-02-01',71,NULL);
INSERT INTO "meter" VALUES(72,'H-LEN-5-2-M218708','individual',2,72,'218708',3,5,'1','2029-10-01',72,NULL);
INSERT INTO "meter" VALUES(73,'H-LEN-5-2-M218734','individual',2,73,'218734',1,6,'1','2031-10-01',73,NULL);
INSERT INTO "meter" VALUES(74,'H-LEN-5-2-M218810','individual',2,74,'218810',1,6,'1','2028-06-01',74,NULL);
INSERT INTO "meter" VALUES(75,'H-LEN-5-2-M218829','individual',2,75,'218829',2,5,'1','2032-03-01',75,NULL);
INSERT INTO "meter" VALUES(76,'H-LEN-5-2-M218923','individual',2,76,'00218923',1,6,'1','2030-10-01',76,NULL);
INSERT INTO "meter" VALUES(77,'H-LEN-5-2-M218976','individual',2,77,'00218976',1,6,'1','2033-03-01',77,NULL);
INSERT INTO "meter" VALUES(78,'H-LEN-5-2-M218994','individual',2,78,'00218994',2,5,'1','2028-11-01',78,NULL);
INSERT INTO "meter" VALUES(79,'H-LEN-5-2-M219054','individual',2,79,'00219054',2,5,'1','2028-10-01',79,NULL);
INSERT INTO "meter" VALUES(80,'H-LEN-5-2-M219144','individual',2,80,'00219144',2,5,'1','2033-01-01',80,NULL);
INSERT INTO "meter" VALUES(81,'H-LEN-5-2-M219149','individual',2,81,'219149',1,6,'1','2033-07-01',81,NULL);
INSERT INTO "meter" VALUES(82,'H-LEN-5-2-M219157','individual',2,82,'00219157',2,5,'1','2027-03-01',82,NULL);
INSERT INTO "meter" VALUES(83,'H-LEN-5-2-M219210','individual',2,83,'00219210',3,6,'1','2030-01-01',83,NULL);
INSERT INTO "meter" VALUES(84,'H-LEN-5-2-M219231','individual',2,84,'00219231',2,6,'1','2032-05-01',84,NULL);
INSERT INTO "meter" VALUES(85,'H-LEN-5-2-M219277','individual',2,85,'00219277',1,6,'1','2027-12-01',85,NULL);
INSERT INTO "meter" VALUES(86,'H-LEN-5-2-M219331','individual',2,86,'219331',2,5,'1','2027-01-01',86,NULL);
INSERT INTO "meter" VALUES(87,'H-LEN-5-2-M219361','individual',2,87,'219361',2,6,'1','2027-05-01',87,NULL);
INSERT INTO "meter" VALUES(88,'H-LEN-5-2-M219406','individual',2,88,'00219406',1,6,'1','2027-10-01',88,NULL);
INSERT INTO "meter" VALUES(89,'H-LEN-5-2-M219502','individual',2,89,'00219502',1,5,'1','2027-01-01',89,NULL);
INSERT INTO "meter" VALUES(90,'H-LEN-5-2-M219590','individual',2,90,'00219590',1,6,'1','2030-07-01',90,NULL);
INSERT INTO "meter" VALUES(91,'H-LEN-5-2-M219611','individual',2,91,'00219611',2,6,'1','2031-04-01',91,NULL);
INSERT INTO "meter" VALUES(92,'H-LEN-5-2-M219703','individual',2,92,'00219703',2,5,'1','2032-08-01',92,NULL);
INSERT INTO "meter" VALUES(93,'H-LEN-5-2-M219730','individual',2,93,'219730',2,6,'1','2030-09-01',93,NULL);
INSERT INTO "meter" VALUES(94,'H-LEN-5-2-M219788','individual',2,94,'00219788',3,5,'1','2030-10-01',94,NULL);
INSERT INTO "meter" VALUES(95,'H-LEN-5-2-M219806','individual',2,95,'00219806',2,5,'1','2032-08-01',95,NULL);
INSERT INTO "meter" VALUES(96,'H-LEN-5-2-M219830','individual',2,96,'00219830',1,5,'1','2028-07-01',96,NULL);
INSERT INTO "meter" VALUES(97,'H-LEN-5-2-M219846','individual',2,97,'00219846',1,5,'1','2033-02-01',97,NULL);
INSERT INTO "meter" VALUES(98,'H-LEN-5-2-M219881','individual',2,98,'00219881',1,5,'1','2032-07-01',98,NULL);
INSERT INTO "meter" VALUES(99,'H-LEN-5-2-M219967','individual',2,99,'00219967',1,5,'1','2034-07-01',99,NULL);
INSERT INTO "meter" VALUES(100,'H-LEN-5-2-M219983','individual',2,100,'00219983',2,6,'1','2027-03-01',100,NULL);
INSERT INTO "meter" VALUES(101,'H-LEN-5-2-M220059','individual',2,101,'220059',2,5,'1','2034-03-01',101,NULL);
INSERT INTO "meter" VALUES(102,'H-LEN-5-2-M220091','individual',2,102,'220091',1,6,'1','2027-04-01',102,NULL);
INSERT INTO "meter" VALUES(103,'H-LEN-5-2-M220122','individual',2,103,'00220122',3,5,'1','2031-05-01',103,NULL);
INSERT INTO "meter" VALUES(104,'H-LEN-5-2-M220198','individual',2,104,'220198',1,6,'1','2032-09-01',104,NULL);
INSERT INTO "meter" VALUES(105,'H-LEN-5-2-M220254','individual',2,105,'00220254',1,5,'1','2029-10-01',105,NULL);
INSERT INTO "meter" VALUES(106,'H-LEN-5-2-M220266','individual',2,106,'220266',1,6,'1','2034-12-01',106,NULL);
INSERT INTO "meter" VALUES(107,'H-LEN-5-2-M220334','individual',2,107,'00220334',1,6,'1','2029-06-01',107,NULL);
INSERT INTO "meter" VALUES(108,'H-LEN-5-2-M220336','individual',2,108,'00220336',2,5,'1','2028-01-01',108,NULL);
INSERT INTO "meter" VALUES(109,'H-LEN-5-2-M220383','individual',2,109,'00220383',1,6,'1','2030-07-01',109,NULL);
INSERT INTO "meter" VALUES(110,'H-LEN-5-2-M220396','individual',2,110,'220396',2,6,'1','2031-03-01',110,NULL);
INSERT INTO "meter" VALUES(111,'H-LEN-5-2-M220400','individual',2,111,'220400',2,5,'1','2029-07-01',111,NULL);
INSERT INTO "meter" VALUES(112,'H-LEN-5-2-M220408','individual',2,112,'00220408',2,6,'1','2033-11-01',112,NULL);
INSERT INTO "meter" VALUES(113,'H-LEN-5-2-M220453','individual',2,113,'220453',2,5,'1','2032-01-01',113,NULL);
INSERT INTO "meter" VALUES(114,'H-LEN-5-2-M220544','individual',2,114,'00220544',2,6,'1','2029-07-01',114,NULL);
INSERT INTO "meter" VALUES(115,'H-LEN-5-2-M220632','individual',2,115,'00220632',1,5,'1','2030-09-01',115,NULL);
INSERT INTO "meter" VALUES(116,'H-LEN-5-2-M220674','individual',2,116,'220674',1,5,'1','2028-03-01',116,NULL);
INSERT INTO "meter" VALUES(117,'H-LEN-5-2-M220690','individual',2,117,'220690',3,6,'1','2027-10-01',117,NULL);
INSERT INTO "meter" VALUES(118,'H-LEN-5-2-M220699','individual',2,118,'220699',1,6,'1','2030-04-01',118,NULL);
INSERT INTO "meter" VALUES(119,'H-LEN-5-2-M220773','individual',2,119,'220773',2,5,'1','2032-10-01',119,NULL);
INSERT INTO "meter" VALUES(120,'H-LEN-5-2-M220820','individual',2,120,'00220820',1,5,'1','2032-08-01',120,NULL);
INSERT INTO "meter" VALUES(121,'H-LEN-5-2-M220865','individual',2,121,'220865',3,6,'1','2031-07-01',121,NULL);
INSERT INTO "meter" VALUES(122,'H-LEN-5-2-M220889','individual',2,122,'220889',2,6,'1','2033-02-01',122,NULL);
INSERT INTO "meter" VALUES(123,'H-PRF-46-1-M220984','individual',3,123,'220984',1,6,'1','2032-09-01',123,NULL);
INSERT INTO "meter" VALUES(124,'H-PRF-46-1-M221036','individual',3,124,'221036',3,6,'1','2030-03-01',124,NULL);
INSERT INTO "meter" VALUES(125,'H-PRF-46-1-M221041','individual',3,125,'221041',2,5,'1','2033-02-01',125,NULL);
INSERT INTO "meter" VALUES(126,'H-PRF-46-1-M221055','individual',3,126,'221055',1,5,'1','2029-02-01',126,NULL);
INSERT INTO "meter" VALUES(127,'H-PRF-46-1-M221102','individual',3,127,'00221102',1,5,'1','2027-10-01',127,NULL);
INSERT INTO "meter" VALUES(128,'H-PRF-46-1-M221103','individual',3,128,'221103',3,6,'1','2028-03-01',128,NULL);
INSERT INTO "meter" VALUES(129,'H-PRF-46-1-M221130','individual',3,129,'221130',3,5,'1','2028-11-01',129,NULL);
INSERT INTO "meter" VALUES(130,'H-PRF-46-1-M221192','individual',3,130,'00221192',3,5,'1','2034-04-01',130,NULL);
INSERT INTO "meter" VALUES(131,'H-PRF-46-1-M221241','individual',3,131,'00221241',2,6,'1','2034-07-01',131,NULL);
INSERT INTO "meter" VALUES(132,'H-PRF-46-1-M221297','individual',3,132,'221297',2,5,'1','2028-12-01',132,NULL);
INSERT INTO "meter" VALUES(133,'H-PRF-46-1-M221352','individual',3,133,'221352',2,5,'1','2028-03-01',133,NULL);
INSERT INTO "meter" VALUES(134,'H-PRF-46-1-M221361','individual',3,134,'00221361',2,5,'1','2028-11-01',134,NULL);
INSERT INTO "meter" VALUES(135,'H-PRF-46-1-M221373','individual',3,135,'221373',1,5,'1','2031-09-01',135,NULL);
INSERT INTO "meter" VALUES(136,'H-PRF-46-1-M221468','individual',3,136,'221468',3,5,'1','2028-01-01',136,NULL);
INSERT INTO "meter" VALUES(137,'H-PRF-46-1-M221560','individual',3,137,'221560',1,6,'1','2032-07-01',137,NULL);
INSERT INTO "meter" VALUES(138,'H-PRF-46-1-M221593','individual',3,138,'00221593',3,5,'1','2030-07-01',138,NULL);
INSERT INTO "meter" VALUES(139,'H-PRF-46-1-M221664','individual',3,139,'221664',2,5,'1','2033-09-01',139,NULL);
INSERT INTO "meter" VALUES(140,'H-PRF-46-1-M221687','individual',3,140,'00221687',1,5,'1','2033-05-01',140,NULL);
INSERT INTO "meter" VALUES(141,'H-PRF-46-1-M221774','individual',3,141,'00221774',1,5,'1','2031-01-01',141,NULL);
INSERT INTO "meter" VALUES(142,'H-PRF-46-1-M221843','individual',3,142,'00221843',3,5,'1','2029-04-01',142,NULL);
INSERT INTO "meter" VALUES(143,'H-PRF-46-1-M221923','individual',3,143,'00221923',3,6,'1','2028-06-01',143,NULL);
INSERT INTO "meter" VALUES(144,'H-PRF-46-1-M221955','individual',3,144,'221955',3,5,'1','2031-01-01',144,NULL);
INSERT INTO "meter" VALUES(145,'H-PRF-46-1-M221984','individual',3,145,'00221984',1,6,'1','2033-02-01',145,NULL);
INSERT INTO "meter" VALUES(146,'H-PRF-46-1-M222068','individual',3,146,'222068',2,5,'1','2034-06-01',146,NULL);
INSERT INTO "meter" VALUES(147,'H-PRF-46-1-M222073','individual',3,147,'00222073',1,6,'1','2029-06-01',147,NULL);
INSERT INTO "meter" VALUES(148,'H-PRF-46-1-M222154','individual',3,148,'00222154',3,6,'1','2031-01-01',148,NULL);
INSERT INTO "meter" VALUES(149,'H-PRF-46-1-M222213','individual',3,149,'00222213',3,6,'1','2030-12-01',149,NULL);
INSERT INTO "meter" VALUES(150,'H-PRF-46-1-M222240','individual',3,150,'00222240',1,6,'1','2032-09-01',150,NULL);
INSERT INTO "meter" VALUES(151,'H-PRF-46-1-M222242','individual',3,151,'00222242',1,5,'1','2034-10-01',151,NULL);
INSERT INTO "meter" VALUES(152,'H-PRF-46-1-M222311','individual',3,152,'00222311',2,6,'1','2028-08-01',152,NULL);
INSERT INTO "meter" VALUES(153,'H-PRF-46-1-M222399','individual',3,153,'222399',1,5,'1','2028-06-01',153,NULL);
INSERT INTO "meter" VALUES(154,'H-PRF-46-1-M222439','individual',3,154,'00222439',2,5,'1','2033-07-01',154,NULL);
INSERT INTO "meter" VALUES(155,'H-PRF-46-1-M222452','individual',3,155,'222452',3,6,'1','2033-03-01',155,NULL);
INSERT INTO "meter" VALUES(156,'H-PRF-46-1-M222498','individual',3,156,'00222498',2,6,'1','2032-10-01',156,NULL);
INSERT INTO "meter" VALUES(157,'H-PRF-46-1-M222556','individual',3,157,'00222556',2,6,'1','2028-11-01',157,NULL);
INSERT INTO "meter" VALUES(158,'H-PRF-46-1-M222640','individual',3,158,'222640',2,5,'1','2030-04-01',158,NULL);
INSERT INTO "meter" VALUES(159,'H-PRF-46-1-M222667','individual',3,159,'00222667',1,5,'1','2028-12-01',159,NULL);
INSERT INTO "meter" VALUES(160,'H-PRF-46-1-M222735','individual',3,160,'00222735',3,5,'1','2027-08-01',160,NULL);
INSERT INTO "meter" VALUES(161,'H-PRF-46-1-M222816','individual',3,161,'00222816',3,5,'1','2029-03-01',161,NULL);
INSERT INTO "meter" VALUES(162,'H-PRF-46-1-M222868','individual',3,162,'00222868',1,6,'1','2029-04-01',162,NULL);
INSERT INTO "meter" VALUES(163,'H-PRF-46-1-M222914','individual',3,163,'00222914',2,6,'1','2034-05-01',163,NULL);
INSERT INTO "meter" VALUES(164,'H-PRF-46-1-M222931','individual',3,164,'00222931',3,5,'1','2028-03-01',164,NULL);
INSERT INTO "meter" VALUES(165,'H-PRF-46-1-M222959','individual',3,165,'00222959',1,6,'1','2030-10-01',165,NULL);
INSERT INTO "meter" VALUES(166,'H-PRF-46-1-M223006','individual',3,166,'00223006',1,6,'1','2032-07-01',166,NULL);
INSERT INTO "meter" VALUES(167,'H-PRF-46-1-M223025','individual',3,167,'223025',1,6,'1','2028-06-01',167,NULL);
INSERT INTO "meter" VALUES(168,'H-PRF-46-1-M223102','individual',3,168,'00223102',3,6,'1','2030-05-01',168,NULL);
INSERT INTO "meter" VALUES(169,'H-PRF-46-1-M223130','individual',3,169,'00223130',1,5,'1','2030-10-01',169,NULL);
INSERT INTO "meter" VALUES(170,'H-PRF-46-1-M223152','individual',3,170,'223152',2,6,'1','2032-08-01',170,NULL);
INSERT INTO "meter" VALUES(171,'H-PRF-46-1-M223165','individual',3,171,'00223165',3,5,'1','2034-12-01',171,NULL);
INSERT INTO "meter" VALUES(172,'H-PRF-46-1-M223177','individual',3,172,'223177',3,5,'1','2029-04-01',172,NULL);
INSERT INTO "meter" VALUES(173,'H-PRF-46-1-M223189','individual',3,173,'00223189',1,5,'1','2028-12-01',173,NULL);
INSERT INTO "meter" VALUES(174,'H-PRF-46-1-M223234','individual',3,174,'00223234',2,5,'1','2030-03-01',174,NULL);
INSERT INTO "meter" VALUES(175,'H-PRF-46-1-M223277','individual',3,175,'00223277',1,5,'1','2034-07-01',175,NULL);
INSERT INTO "meter" VALUES(176,'H-PRF-46-1-M223281','individual',3,176,'00223281',3,5,'1','2027-04-01',176,NULL);
INSERT INTO "meter" VALUES(177,'H-PRF-46-1-M223340','individual',3,177,'00223340',2,6,'1','2028-11-01',177,NULL);
INSERT INTO "meter" VALUES(178,'H-PRF-46-1-M223385','individual',3,178,'223385',2,5,'1','2032-01-01',178,NULL);
INSERT INTO "meter" VALUES(179,'H-PRF-46-1-M223408','individual',3,179,'00223408',1,5,'1','2030-10-01',179,NULL);
INSERT INTO "meter" VALUES(180,'H-KLM-10-M223426','individual',4,180,'00223426',1,5,'1','2030-11-01',180,NULL);
INSERT INTO "meter" VALUES(181,'H-KLM-10-M223506','individual',4,181,'223506',2,6,'1','2029-08-01',181,NULL);
INSERT INTO "meter" VALUES(182,'H-KLM-10-M223586','individual',4,182,'00223586',2,5,'1','2030-03-01',182,NULL);
INSERT INTO "meter" VALUES(183,'H-KLM-10-M223678','individual',4,183,'00223678',3,5,'1','2032-10-01',183,NULL);
INSERT INTO "meter" VALUES(184,'H-KLM-10-M223739','individual',4,184,'00223739',2,5,'1','2027-06-01',184,NULL);
INSERT INTO "meter" VALUES(185,'H-KLM-10-M223827','individual',4,185,'223827',2,6,'1','2034-09-01',185,NULL);
INSERT INTO "meter" VALUES(186,'H-KLM-10-M223834','individual',4,186,'00223834',3,5,'1','2028-02-01',186,NULL);
INSERT INTO "meter" VALUES(187,'H-KLM-10-M223853','individual',4,187,'00223853',1,6,'1','2031-05-01',187,NULL);
INSERT INTO "meter" VALUES(188,'H-KLM-10-M223936','individual',4,188,'00223936',2,6,'1','2030-02-01',188,NULL);
INSERT INTO "meter" VALUES(189,'H-KLM-10-M224025','individual',4,189,'00224025',1,6,'1','2027-11-01',189,NULL);
INSERT INTO "meter" VALUES(190,'H-KLM-10-M224047','individual',4,190,'224047',2,6,'1','2031-05-01',190,NULL);
INSERT INTO "meter" VALUES(191,'H-KLM-10-M224127','individual',4,191,'00224127',1,6,'1','2032-01-01',191,NULL);
INSERT INTO "meter" VALUES(192,'H-KLM-10-M224161','individual',4,192,'00224161',1,6,'1','2031-02-01',192,NULL);
INSERT INTO "meter" VALUES(193,'H-KLM-10-M224185','individual',4,193,'224185',3,6,'1','2029-05-01',193,NULL);
INSERT INTO "meter" VALUES(194,'H-KLM-10-M224199','individual',4,194,'224199',1,6,'1','2030-06-01',194,NULL);
INSERT INTO "meter" VALUES(195,'H-KLM-10-M224218','individual',4,195,'00224218',1,6,'1','2031-01-01',195,NULL);
INSERT INTO "meter" VALUES(196,'H-KLM-10-M224313','individual',4,196,'00224313',2,5,'1','2028-06-01',196,NULL);
INSERT INTO "meter" VALUES(197,'H-KLM-10-M224348','individual',4,197,'224348',1,6,'1','2033-02-01',197,NULL);
INSERT INTO "meter" VALUES(198,'H-KLM-10-M224362','individual',4,198,'224362',1,5,'1','2030-09-01',198,NULL);
INSERT INTO "meter" VALUES(199,'H-KLM-10-M224372','individual',4,199,'00224372',2,5,'1','2029-11-01',199,NULL);
INSERT INTO "meter" VALUES(200,'H-KLM-10-M224430','individual',4,200,'00224430',2,5,'1','2029-01-01',200,NULL);
INSERT INTO "meter" VALUES(201,'H-KLM-10-M224436','individual',4,201,'00224436',3,5,'1','2031-06-01',201,NULL);
INSERT INTO "meter" VALUES(202,'H-KLM-10-M224516','individual',4,202,'224516',3,6,'1','2032-05-01',202,NULL);
INSERT INTO "meter" VALUES(203,'H-KLM-10-M224545','individual',4,203,'00224545',2,5,'1','2027-09-01',203,NULL);
INSERT INTO "meter" VALUES(204,'H-KLM-10-M224610','common_house',4,NULL,'00224610',2,6,'40','2033-08-01',204,NULL);
INSERT INTO "meter" VALUES(205,'H-KLM-10-M224668','common_house',4,NULL,'224668',2,6,'80','2031-01-01',205,NULL);
CREATE TABLE organization (
	id INTEGER NOT NULL, 
	billing_id VARCHAR(64) NOT NULL, 
	full_name VARCHAR(500) NOT NULL, 
	short_name VARCHAR(200) NOT NULL, 
	org_type VARCHAR(100) NOT NULL, 
	inn VARCHAR(12) NOT NULL, 
	kpp VARCHAR(9), 
	ogrn VARCHAR(15), 
	contract_number VARCHAR(50), 
	is_active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_organization PRIMARY KEY (id), 
	CONSTRAINT uq_organization_billing_id UNIQUE (billing_id), 
	CONSTRAINT uq_organization_contract_number UNIQUE (contract_number)
);
INSERT INTO "organization" VALUES(1,'ORG-DEMO-1','Общество с ограниченной ответственностью «Управляющая компания «Демо-Сервис»','ООО «УК «Демо-Сервис»','Управляющая компания','7700000001','770001001','1027700000001','ДЕМО-0001',1,'2026-12-01 03:53:30.937513');
CREATE TABLE personal_account (
	id INTEGER NOT NULL, 
	house_id INTEGER NOT NULL, 
	number VARCHAR(30) NOT NULL, 
	apartment VARCHAR(20) NOT NULL, 
	consumer_name VARCHAR(300), 
	metering_type VARCHAR(100), 
	removed_at DATETIME, 
	CONSTRAINT pk_personal_account PRIMARY KEY (id), 
	CONSTRAINT fk_personal_account_house_id_house FOREIGN KEY(house_id) REFERENCES house (id), 
	CONSTRAINT uq_personal_account_number UNIQUE (number)
);
INSERT INTO "personal_account" VALUES(1,1,'5010001','1','Липатов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(2,1,'5010002','1','Сосновская И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(3,1,'5010003','2','Сосновская Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(4,1,'5010004','3','Ясенев А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(5,1,'5010005','4','Ольховский Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(6,1,'5010006','5','Вязов Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(7,1,'5010007','6','Рябинин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(8,1,'5010008','7','Каштанова З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(9,1,'5010009','8','Тополева Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(10,1,'5010010','9','Тополева З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(11,1,'5010011','10','Кленова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(12,1,'5010012','11','Вязов Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(13,1,'5010013','12','Березкин Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(14,1,'5010014','13','Тополева Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(15,1,'5010015','14','Каштанова Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(16,1,'5010016','15','Ольховский Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(17,1,'5010017','16','Кленова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(18,1,'5010018','17','Березкин Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(19,1,'5010019','18','Каштанова И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(20,1,'5010020','19','Каштанова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(21,1,'5010021','20','Вязов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(22,1,'5010022','21','Сосновская А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(23,1,'5010023','22','Тополева З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(24,1,'5010024','23','Липатов И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(25,1,'5010025','24','Рябинин А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(26,1,'5010026','25','Ясенев Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(27,1,'5010027','26','Березкин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(28,1,'5010028','27','Ивушкина З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(29,1,'5010029','28','Кленова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(30,1,'5010030','29','Ивушкина З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(31,2,'5010031','1','Тополева В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(32,2,'5010032','1','Ивушкина И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(33,2,'5010033','2','Ивушкина Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(34,2,'5010034','3','Сосновская Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(35,2,'5010035','4','Ивушкина Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(36,2,'5010036','5','Ясенев Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(37,2,'5010037','6','Ольховский Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(38,2,'5010038','7','Кленова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(39,2,'5010039','8','Ивушкина Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(40,2,'5010040','9','Дубравин Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(41,2,'5010041','10','Березкин Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(42,2,'5010042','11','Рябинин Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(43,2,'5010043','12','Каштанова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(44,2,'5010044','13','Ясенев И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(45,2,'5010045','14','Рябинин И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(46,2,'5010046','15','Кленова В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(47,2,'5010047','16','Каштанова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(48,2,'5010048','17','Ясенев А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(49,2,'5010049','18','Ивушкина Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(50,2,'5010050','19','Липатов Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(51,2,'5010051','20','Сосновская А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(52,2,'5010052','21','Сосновская Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(53,2,'5010053','22','Ивушкина В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(54,2,'5010054','23','Дубравин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(55,2,'5010055','24','Каштанова А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(56,2,'5010056','25','Ольховский А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(57,2,'5010057','26','Ольховский Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(58,2,'5010058','27','Липатов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(59,2,'5010059','28','Сосновская Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(60,2,'5010060','29','Рябинин З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(61,2,'5010061','30','Ивушкина И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(62,2,'5010062','31','Сосновская И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(63,2,'5010063','32','Тополева А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(64,2,'5010064','33','Дубравин Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(65,2,'5010065','34','Вязов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(66,2,'5010066','35','Рябинин Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(67,2,'5010067','36','Каштанова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(68,2,'5010068','37','Сосновская Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(69,2,'5010069','38','Ясенев Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(70,2,'5010070','39','Вязов В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(71,2,'5010071','40','Кленова В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(72,2,'5010072','41','Кленова Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(73,2,'5010073','42','Сосновская Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(74,2,'5010074','43','Липатов Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(75,2,'5010075','44','Липатов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(76,2,'5010076','45','Тополева А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(77,2,'5010077','46','Вязов Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(78,2,'5010078','47','Ясенев Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(79,2,'5010079','48','Сосновская Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(80,2,'5010080','49','Ольховский Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(81,2,'5010081','50','Сосновская З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(82,2,'5010082','51','Кленова В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(83,2,'5010083','52','Вязов И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(84,2,'5010084','53','Кленова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(85,2,'5010085','54','Ясенев Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(86,2,'5010086','55','Рябинин Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(87,2,'5010087','56','Ясенев И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(88,2,'5010088','57','Ясенев И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(89,2,'5010089','58','Липатов И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(90,2,'5010090','59','Сосновская Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(91,2,'5010091','60','Березкин Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(92,2,'5010092','61','Ясенев Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(93,2,'5010093','62','Березкин А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(94,2,'5010094','63','Липатов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(95,2,'5010095','64','Ивушкина Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(96,2,'5010096','65','Березкин Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(97,2,'5010097','66','Рябинин Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(98,2,'5010098','67','Сосновская А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(99,2,'5010099','68','Ясенев А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(100,2,'5010100','69','Кленова Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(101,2,'5010101','70','Рябинин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(102,2,'5010102','71','Вязов А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(103,2,'5010103','72','Дубравин Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(104,2,'5010104','73','Ивушкина Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(105,2,'5010105','74','Каштанова А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(106,2,'5010106','75','Рябинин З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(107,2,'5010107','76','Ивушкина А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(108,2,'5010108','77','Рябинин З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(109,2,'5010109','78','Дубравин А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(110,2,'5010110','79','Вязов З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(111,2,'5010111','80','Дубравин И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(112,2,'5010112','81','Каштанова В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(113,2,'5010113','82','Дубравин Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(114,2,'5010114','83','Дубравин И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(115,2,'5010115','84','Ясенев Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(116,2,'5010116','85','Каштанова В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(117,2,'5010117','86','Ольховский А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(118,2,'5010118','87','Ольховский Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(119,2,'5010119','88','Сосновская Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(120,2,'5010120','89','Ясенев А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(121,2,'5010121','90','Кленова И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(122,2,'5010122','91','Ясенев Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(123,3,'5010123','1','Кленова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(124,3,'5010124','1','Ольховский И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(125,3,'5010125','2','Каштанова В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(126,3,'5010126','3','Каштанова З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(127,3,'5010127','4','Ясенев Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(128,3,'5010128','5','Ивушкина З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(129,3,'5010129','6','Каштанова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(130,3,'5010130','7','Сосновская Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(131,3,'5010131','8','Ясенев Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(132,3,'5010132','9','Ясенев Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(133,3,'5010133','10','Тополева Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(134,3,'5010134','11','Ольховский А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(135,3,'5010135','12','Липатов В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(136,3,'5010136','13','Березкин Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(137,3,'5010137','14','Дубравин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(138,3,'5010138','15','Березкин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(139,3,'5010139','16','Дубравин Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(140,3,'5010140','17','Сосновская А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(141,3,'5010141','18','Тополева Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(142,3,'5010142','19','Вязов Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(143,3,'5010143','20','Ольховский З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(144,3,'5010144','21','Ольховский Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(145,3,'5010145','22','Кленова З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(146,3,'5010146','23','Ольховский А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(147,3,'5010147','24','Липатов Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(148,3,'5010148','25','Ивушкина Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(149,3,'5010149','26','Каштанова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(150,3,'5010150','27','Ясенев Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(151,3,'5010151','28','Ольховский А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(152,3,'5010152','29','Ивушкина В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(153,3,'5010153','30','Каштанова И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(154,3,'5010154','31','Тополева З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(155,3,'5010155','32','Тополева Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(156,3,'5010156','33','Дубравин И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(157,3,'5010157','34','Липатов А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(158,3,'5010158','35','Ивушкина Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(159,3,'5010159','36','Каштанова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(160,3,'5010160','37','Сосновская А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(161,3,'5010161','38','Каштанова З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(162,3,'5010162','39','Кленова Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(163,3,'5010163','40','Березкин Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(164,3,'5010164','41','Ясенев Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(165,3,'5010165','42','Ольховский В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(166,3,'5010166','43','Березкин Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(167,3,'5010167','44','Березкин Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(168,3,'5010168','45','Ольховский Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(169,3,'5010169','46','Ясенев Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(170,3,'5010170','47','Березкин Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(171,3,'5010171','48','Каштанова И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(172,3,'5010172','49','Кленова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(173,3,'5010173','50','Дубравин З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(174,3,'5010174','51','Липатов Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(175,3,'5010175','52','Кленова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(176,3,'5010176','53','Рябинин Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(177,3,'5010177','54','Дубравин З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(178,3,'5010178','55','Кленова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(179,3,'5010179','56','Сосновская Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(180,4,'5010180','1','Березкин Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(181,4,'5010181','1','Кленова А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(182,4,'5010182','2','Тополева З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(183,4,'5010183','3','Ольховский Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(184,4,'5010184','4','Ивушкина В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(185,4,'5010185','5','Ясенев В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(186,4,'5010186','6','Ольховский А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(187,4,'5010187','7','Ясенев Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(188,4,'5010188','8','Рябинин В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(189,4,'5010189','9','Тополева Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(190,4,'5010190','10','Тополева Б.В.',NULL,NULL);
INSERT INTO "personal_account" VALUES(191,4,'5010191','11','Сосновская И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(192,4,'5010192','12','Кленова Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(193,4,'5010193','13','Кленова Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(194,4,'5010194','14','Сосновская Д.Е.',NULL,NULL);
INSERT INTO "personal_account" VALUES(195,4,'5010195','15','Вязов В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(196,4,'5010196','16','Ивушкина З.И.',NULL,NULL);
INSERT INTO "personal_account" VALUES(197,4,'5010197','17','Вязов Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(198,4,'5010198','18','Липатов А.А.',NULL,NULL);
INSERT INTO "personal_account" VALUES(199,4,'5010199','19','Рябинин Г.Д.',NULL,NULL);
INSERT INTO "personal_account" VALUES(200,4,'5010200','20','Кленова И.К.',NULL,NULL);
INSERT INTO "personal_account" VALUES(201,4,'5010201','21','Вязов Е.Ж.',NULL,NULL);
INSERT INTO "personal_account" VALUES(202,4,'5010202','22','Ясенев В.Г.',NULL,NULL);
INSERT INTO "personal_account" VALUES(203,4,'5010203','23','Тополева А.А.',NULL,NULL);
CREATE TABLE reading (
	id INTEGER NOT NULL, 
	meter_id INTEGER NOT NULL, 
	reading_date DATE NOT NULL, 
	period DATE NOT NULL, 
	t1 VARCHAR(40), 
	t2 VARCHAR(40), 
	t3 VARCHAR(40), 
	source VARCHAR(100) NOT NULL, 
	channel VARCHAR(10) NOT NULL, 
	is_current BOOLEAN NOT NULL, 
	submitted_by_person_id INTEGER, 
	submitted_by_client_id INTEGER, 
	submitted_at DATETIME NOT NULL, 
	upload_id INTEGER, 
	login_session_id VARCHAR(64), 
	replaces_id INTEGER, 
	deleted_at DATETIME, 
	CONSTRAINT pk_reading PRIMARY KEY (id), 
	CONSTRAINT ck_reading_channel CHECK (channel IN ('manual', 'file', 'billing')), 
	CONSTRAINT fk_reading_meter_id_meter FOREIGN KEY(meter_id) REFERENCES meter (id), 
	CONSTRAINT fk_reading_submitted_by_person_id_contact_person FOREIGN KEY(submitted_by_person_id) REFERENCES contact_person (id), 
	CONSTRAINT fk_reading_submitted_by_client_id_soap_client FOREIGN KEY(submitted_by_client_id) REFERENCES soap_client (id), 
	CONSTRAINT fk_reading_upload_id_upload FOREIGN KEY(upload_id) REFERENCES upload (id), 
	CONSTRAINT fk_reading_replaces_id_reading FOREIGN KEY(replaces_id) REFERENCES reading (id)
);
INSERT INTO "reading" VALUES(1,1,'2026-11-20','2026-11-01','28992.55','33281.02',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.938996',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(2,2,'2026-11-20','2026-11-01','2833.11',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.939470',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(3,3,'2026-11-20','2026-11-01','24485.1',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.939904',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(4,4,'2026-11-20','2026-11-01','39989.04','7749.65',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.940270',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(5,5,'2026-11-20','2026-11-01','38929.2',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.940659',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(6,6,'2026-11-20','2026-11-01','7881.89',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.941049',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(7,7,'2026-11-20','2026-11-01','26808.91','3714.86',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.941405',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(8,8,'2026-11-20','2026-11-01','31497.45','8369.46',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.941778',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(9,9,'2026-11-20','2026-11-01','30982.81',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.942153',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(10,10,'2026-11-20','2026-11-01','25303.03','29268.34',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.942506',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(11,11,'2026-11-20','2026-11-01','10041.26',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.942905',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(12,12,'2026-11-20','2026-11-01','37750.94','9617.38',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.943254',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(13,13,'2026-11-20','2026-11-01','10288.22',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.943618',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(14,14,'2026-11-20','2026-11-01','21078.44','38348.6',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.943972',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(15,15,'2026-11-20','2026-11-01','23709.39',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.944320',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(16,16,'2026-11-20','2026-11-01','20811.53','25253.36','12106.26','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.944664',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(17,17,'2026-11-20','2026-11-01','14811.81',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.945016',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(18,18,'2026-11-20','2026-11-01','14938.35',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.945352',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(19,19,'2026-11-20','2026-11-01','29227.14',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.945685',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(20,20,'2026-11-20','2026-11-01','14196.41',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.946211',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(21,21,'2026-11-20','2026-11-01','28550.63','34019.55','32540.74','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.946578',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(22,22,'2026-11-20','2026-11-01','2796.38',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.946943',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(23,23,'2026-11-20','2026-11-01','29688.95','32136.38','7705.28','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.947284',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(24,24,'2026-11-20','2026-11-01','11657.5','15041.77','3670.42','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.947643',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(25,25,'2026-11-20','2026-11-01','28267.57','21913.7',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.948003',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(26,26,'2026-11-20','2026-11-01','18890.7','39643.47',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.948339',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(27,27,'2026-11-20','2026-11-01','24349.98','38823.46',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.948677',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(28,28,'2026-11-20','2026-11-01','13562.01','33439.96','26002.77','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.949032',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(29,29,'2026-11-20','2026-11-01','36493.3','2110.42','20298.1','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.949371',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(30,30,'2026-11-20','2026-11-01','12247.88','25175.4',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.949708',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(31,31,'2026-11-20','2026-11-01','34299.1',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.950235',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(32,32,'2026-11-20','2026-11-01','28489.29',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.950578',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(33,33,'2026-11-20','2026-11-01','16520.04','25109.76',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.950933',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(34,34,'2026-11-20','2026-11-01','22882.38','31638.31',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.951278',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(35,35,'2026-11-20','2026-11-01','9711.72','15264.07','16217.94','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.951642',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(36,36,'2026-11-20','2026-11-01','18469.38',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.951996',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(37,37,'2026-11-20','2026-11-01','32628.31','27655.54','19609.73','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.952335',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(38,38,'2026-11-20','2026-11-01','11213.7','30845.94',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.952681',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(39,39,'2026-11-20','2026-11-01','20377.63','33557.79',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.953038',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(40,40,'2026-11-20','2026-11-01','5512.47','3382.72',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.953379',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(41,41,'2026-11-20','2026-11-01','4124.72',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.955854',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(42,42,'2026-11-20','2026-11-01','16624.22',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.956345',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(43,43,'2026-11-20','2026-11-01','32571.98','30819.84','9572.38','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.956694',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(44,44,'2026-11-20','2026-11-01','20937.15','33942.45','12368.01','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.957051',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(45,45,'2026-11-20','2026-11-01','13818.49',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.957389',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(46,46,'2026-11-20','2026-11-01','9830.24','2844.07',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.957727',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(47,47,'2026-11-20','2026-11-01','18273.11','12396.68',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.958105',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(48,48,'2026-11-20','2026-11-01','35468.09',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.958442',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(49,49,'2026-11-20','2026-11-01','26928.38',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.958791',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(50,50,'2026-11-20','2026-11-01','11122.56','4899.51',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.959127',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(51,51,'2026-11-20','2026-11-01','20870.82',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.959463',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(52,52,'2026-11-20','2026-11-01','25503.32','12544.68',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.959847',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(53,53,'2026-11-20','2026-11-01','3318.54','13150.83','27024.88','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.960184',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(54,54,'2026-11-20','2026-11-01','38473.37','4308.25',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.960525',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(55,55,'2026-11-20','2026-11-01','2540.32',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.960876',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(56,56,'2026-11-20','2026-11-01','18656.96','8003.98','12034.34','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.961219',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(57,57,'2026-11-20','2026-11-01','37521.34',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.961556',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(58,58,'2026-11-20','2026-11-01','7616.56',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.961916',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(59,59,'2026-11-20','2026-11-01','34074.58','2357.04',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.962255',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(60,60,'2026-11-20','2026-11-01','24727.12','29202.22',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.962593',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(61,61,'2026-11-20','2026-11-01','25957.16',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.962944',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(62,62,'2026-11-20','2026-11-01','32913.2','12657.92',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.963283',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(63,63,'2026-11-20','2026-11-01','22685.68',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.963754',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(64,64,'2026-11-20','2026-11-01','26665.51','20730.71',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.964118',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(65,65,'2026-11-20','2026-11-01','19573.21','26147.16',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.964460',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(66,66,'2026-11-20','2026-11-01','22337.3',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.964820',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(67,67,'2026-11-20','2026-11-01','30983.82','1174.46',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.965161',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(68,68,'2026-11-20','2026-11-01','12922.14',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.965500',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(69,69,'2026-11-20','2026-11-01','38333.07','17702.9',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.965860',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(70,70,'2026-11-20','2026-11-01','10665.81','16793.84',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.966239',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(71,71,'2026-11-20','2026-11-01','3708.46',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.966578',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(72,72,'2026-11-20','2026-11-01','1934.51','18446.98','34954.88','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.966932',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(73,73,'2026-11-20','2026-11-01','37378.98',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.967272',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(74,74,'2026-11-20','2026-11-01','8768.98',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.967658',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(75,75,'2026-11-20','2026-11-01','23407.97','15620.68',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.968012',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(76,76,'2026-11-20','2026-11-01','5651.86',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.968362',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(77,77,'2026-11-20','2026-11-01','22704.17',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.968696',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(78,78,'2026-11-20','2026-11-01','22688.32','9810.13',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.969057',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(79,79,'2026-11-20','2026-11-01','39674.77','11157.15',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.969391',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(80,80,'2026-11-20','2026-11-01','31702.99','10901.12',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.969748',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(81,81,'2026-11-20','2026-11-01','38266.39',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.970117',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(82,82,'2026-11-20','2026-11-01','35109.7','28095.99',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.970476',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(83,83,'2026-11-20','2026-11-01','9683.22','35486.01','29333.86','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.970838',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(84,84,'2026-11-20','2026-11-01','13663.34','25078.4',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.971182',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(85,85,'2026-11-20','2026-11-01','17582.99',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.971654',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(86,86,'2026-11-20','2026-11-01','2044.73','6080.78',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.972017',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(87,87,'2026-11-20','2026-11-01','28606.52','16734.24',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.972357',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(88,88,'2026-11-20','2026-11-01','22690.83',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.972711',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(89,89,'2026-11-20','2026-11-01','12098.09',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.973072',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(90,90,'2026-11-20','2026-11-01','5620.84',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.973411',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(91,91,'2026-11-20','2026-11-01','24730.76','3361.87',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.973759',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(92,92,'2026-11-20','2026-11-01','30437.88','25620.12',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.974135',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(93,93,'2026-11-20','2026-11-01','25715.31','22588.04',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.974475',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(94,94,'2026-11-20','2026-11-01','3770.8','32765.7','13079.46','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.974831',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(95,95,'2026-11-20','2026-11-01','35756.28','26961.76',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.975195',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(96,96,'2026-11-20','2026-11-01','25606.15',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.975564',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(97,97,'2026-11-20','2026-11-01','35858.82',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.975923',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(98,98,'2026-11-20','2026-11-01','28223.12',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.976280',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(99,99,'2026-11-20','2026-11-01','5753.64',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.976624',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(100,100,'2026-11-20','2026-11-01','18174.55','4984.07',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.976978',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(101,101,'2026-11-20','2026-11-01','28924.28','6938.11',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.977328',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(102,102,'2026-11-20','2026-11-01','10333.69',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.977667',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(103,103,'2026-11-20','2026-11-01','26838.53','24483.94','21645.55','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.978042',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(104,104,'2026-11-20','2026-11-01','13395.08',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.978389',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(105,105,'2026-11-20','2026-11-01','28274.28',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.978742',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(106,106,'2026-11-20','2026-11-01','29689.69',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.979107',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(107,107,'2026-11-20','2026-11-01','21998.12',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.979572',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(108,108,'2026-11-20','2026-11-01','12828.51','30731.6',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.979952',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(109,109,'2026-11-20','2026-11-01','20085.12',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.980304',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(110,110,'2026-11-20','2026-11-01','27398.93','26499.78',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.980647',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(111,111,'2026-11-20','2026-11-01','29403.36','34940.88',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.981023',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(112,112,'2026-11-20','2026-11-01','36372.18','3380.27',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.981368',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(113,113,'2026-11-20','2026-11-01','15791.6','37017.17',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.981722',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(114,114,'2026-11-20','2026-11-01','14759.11','22296.48',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.982141',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(115,115,'2026-11-20','2026-11-01','8940.7',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.982497',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(116,116,'2026-11-20','2026-11-01','5213.21',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.982852',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(117,117,'2026-11-20','2026-11-01','26211.1','26242.88','16449.64','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.983199',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(118,118,'2026-11-20','2026-11-01','29890.83',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.983580',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(119,119,'2026-11-20','2026-11-01','4240.31','15984.65',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.983939',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(120,120,'2026-11-20','2026-11-01','28229.69',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.984293',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(121,121,'2026-11-20','2026-11-01','6425.62','21691.79','25700.27','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.984645',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(122,122,'2026-11-20','2026-11-01','23387.36','20298.02',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.985007',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(123,123,'2026-11-20','2026-11-01','1776.59',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.985519',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(124,124,'2026-11-20','2026-11-01','19211.34','20252.9','39945.33','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.985890',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(125,125,'2026-11-20','2026-11-01','30191.91','4279.33',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.986241',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(126,126,'2026-11-20','2026-11-01','28894.13',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.986593',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(127,127,'2026-11-20','2026-11-01','37659.19',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.986966',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(128,128,'2026-11-20','2026-11-01','4791.76','29108.48','20535.48','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.987420',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(129,129,'2026-11-20','2026-11-01','35157.75','9407.73','31535.66','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.987858',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(130,130,'2026-11-20','2026-11-01','37046.82','33714.34','23430.67','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.988204',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(131,131,'2026-11-20','2026-11-01','5721.82','3041.75',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.988541',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(132,132,'2026-11-20','2026-11-01','24189.97','26358.04',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.988893',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(133,133,'2026-11-20','2026-11-01','13713.74','37457.18',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.989262',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(134,134,'2026-11-20','2026-11-01','38710.55','6385.96',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.989598',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(135,135,'2026-11-20','2026-11-01','18011.84',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.989973',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(136,136,'2026-11-20','2026-11-01','13781.34','17914.74','19805.98','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.990334',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(137,137,'2026-11-20','2026-11-01','30976.72',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.990679',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(138,138,'2026-11-20','2026-11-01','23825.56','36021.5','30294','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.991030',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(139,139,'2026-11-20','2026-11-01','31979.09','13931.04',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.991378',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(140,140,'2026-11-20','2026-11-01','15076.85',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.991759',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(141,141,'2026-11-20','2026-11-01','21330.58',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.992128',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(142,142,'2026-11-20','2026-11-01','36824.35','30872.72','15552.01','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.992482',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(143,143,'2026-11-20','2026-11-01','22479.93','38431.7','11790.22','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.992836',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(144,144,'2026-11-20','2026-11-01','22433.06','12414.3','15596.16','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.993171',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(145,145,'2026-11-20','2026-11-01','25748.65',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.993518',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(146,146,'2026-11-20','2026-11-01','11338.27','15930.93',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.993891',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(147,147,'2026-11-20','2026-11-01','6167.85',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.994244',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(148,148,'2026-11-20','2026-11-01','10119.63','3975.23','39749.67','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.994599',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(149,149,'2026-11-20','2026-11-01','29441.66','12044.66','10068.93','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.995071',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(150,150,'2026-11-20','2026-11-01','34684.97',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.995415',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(151,151,'2026-11-20','2026-11-01','25096.06',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.995794',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(152,152,'2026-11-20','2026-11-01','15389.38','18911.19',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.996158',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(153,153,'2026-11-20','2026-11-01','34844.49',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.996510',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(154,154,'2026-11-20','2026-11-01','33567.33','37335.27',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.996860',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(155,155,'2026-11-20','2026-11-01','21101.39','10472.34','1083.77','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.997221',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(156,156,'2026-11-20','2026-11-01','7408.53','30685.93',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.997559',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(157,157,'2026-11-20','2026-11-01','4929.95','9468.88',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.997934',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(158,158,'2026-11-20','2026-11-01','4949.75','18989.74',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.998290',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(159,159,'2026-11-20','2026-11-01','6535.67',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.998639',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(160,160,'2026-11-20','2026-11-01','24487.47','28190.09','4349.91','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.998991',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(161,161,'2026-11-20','2026-11-01','33099.64','7430.54','39342.95','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.999340',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(162,162,'2026-11-20','2026-11-01','25989',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:30.999711',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(163,163,'2026-11-20','2026-11-01','32689.42','14807.69',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.000075',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(164,164,'2026-11-20','2026-11-01','26174.61','2515.77','35177.15','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.000424',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(165,165,'2026-11-20','2026-11-01','8277',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.000788',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(166,166,'2026-11-20','2026-11-01','34162.01',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.001131',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(167,167,'2026-11-20','2026-11-01','16535.96',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.001475',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(168,168,'2026-11-20','2026-11-01','28761.18','3846.83','19289.68','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.001850',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(169,169,'2026-11-20','2026-11-01','31262.22',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.002200',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(170,170,'2026-11-20','2026-11-01','24485.97','7564.47',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.002570',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(171,171,'2026-11-20','2026-11-01','20110.31','22929.33','1907.55','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.003057',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(172,172,'2026-11-20','2026-11-01','1267.45','24161.78','9481.59','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.003419',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(173,173,'2026-11-20','2026-11-01','15060.09',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.003813',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(174,174,'2026-11-20','2026-11-01','26828.68','6608.2',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.004173',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(175,175,'2026-11-20','2026-11-01','3893.67',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.004517',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(176,176,'2026-11-20','2026-11-01','19468.67','27531.51','23617.96','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.004882',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(177,177,'2026-11-20','2026-11-01','15613.79','14093.52',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.005236',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(178,178,'2026-11-20','2026-11-01','13245.49','7567.82',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.005573',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(179,179,'2026-11-20','2026-11-01','12828.42',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.005954',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(180,180,'2026-11-20','2026-11-01','31247.43',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.006463',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(181,181,'2026-11-20','2026-11-01','10407.63','30370.52',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.006825',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(182,182,'2026-11-20','2026-11-01','19907.64','20084.31',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.007172',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(183,183,'2026-11-20','2026-11-01','39416.72','15552.63','21774.47','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.007554',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(184,184,'2026-11-20','2026-11-01','32991.78','35150.68',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.007921',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(185,185,'2026-11-20','2026-11-01','32270.57','15748.96',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.008275',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(186,186,'2026-11-20','2026-11-01','13294.07','35076.25','13775.44','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.008620',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(187,187,'2026-11-20','2026-11-01','3319.43',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.008980',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(188,188,'2026-11-20','2026-11-01','39333.46','24233.89',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.009327',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(189,189,'2026-11-20','2026-11-01','18697.96',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.009676',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(190,190,'2026-11-20','2026-11-01','29239.55','9528.72',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.010050',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(191,191,'2026-11-20','2026-11-01','31138.16',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.010399',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(192,192,'2026-11-20','2026-11-01','37560.75',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.010865',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(193,193,'2026-11-20','2026-11-01','31476.15','32501.91','5851.97','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.011220',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(194,194,'2026-11-20','2026-11-01','30275.64',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.011593',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(195,195,'2026-11-20','2026-11-01','7707.34',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.011968',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(196,196,'2026-11-20','2026-11-01','10045.5','39714.5',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.012325',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(197,197,'2026-11-20','2026-11-01','18191.95',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.012666',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(198,198,'2026-11-20','2026-11-01','36763.57',NULL,NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.013031',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(199,199,'2026-11-20','2026-11-01','4644.77','14658.83',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.013382',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(200,200,'2026-11-20','2026-11-01','21408.55','1708.06',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.013735',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(201,201,'2026-11-20','2026-11-01','17996.72','36454.36','16379.88','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.014107',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(202,202,'2026-11-20','2026-11-01','25216.25','26520.58','25104.44','Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.014449',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(203,203,'2026-11-20','2026-11-01','31622.83','39188.36',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.014799',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(204,204,'2026-11-20','2026-11-01','19980.36','33080.33',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.015025',NULL,NULL,NULL,NULL);
INSERT INTO "reading" VALUES(205,205,'2026-11-20','2026-11-01','12936.65','25342.63',NULL,'Абонент','billing',0,NULL,NULL,'2026-12-01 03:53:31.015254',NULL,NULL,NULL,NULL);
CREATE TABLE setting (
	"key" VARCHAR(100) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_setting PRIMARY KEY ("key")
);
INSERT INTO "setting" VALUES('period_start_day','1');
INSERT INTO "setting" VALUES('period_end_day','6');
CREATE TABLE soap_client (
	id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	secret_hash BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	CONSTRAINT pk_soap_client PRIMARY KEY (id), 
	CONSTRAINT uq_soap_client_name UNIQUE (name)
);
INSERT INTO "soap_client" VALUES(1,'demo-billing',X'270428CF14E340DEE9069E7F1929B211A9FF6F764014A7F6F8157E29B7B60D94','2026-12-01 03:53:30.877666',NULL);
CREATE TABLE soap_request (
	id INTEGER NOT NULL, 
	client_id INTEGER NOT NULL, 
	request_id VARCHAR(100) NOT NULL, 
	operation VARCHAR(100) NOT NULL, 
	body_sha256 VARCHAR(64) NOT NULL, 
	response_json TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_soap_request PRIMARY KEY (id), 
	CONSTRAINT uq_soap_request_id UNIQUE (client_id, request_id), 
	CONSTRAINT fk_soap_request_client_id_soap_client FOREIGN KEY(client_id) REFERENCES soap_client (id)
);
INSERT INTO "soap_request" VALUES(1,1,'demo-registration','RegisterOrganization','3bf4a66ea29403475bc6a73238a41dbb08330b971fa4624bae75b1cb91f2fa85','{"organization_id": "ORG-DEMO-1", "login": "demo@example.org", "activation_sent": true}','2026-12-01 03:53:30.914381');
CREATE TABLE upload (
	id INTEGER NOT NULL, 
	organization_id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	file_name VARCHAR(255) NOT NULL, 
	size_bytes INTEGER NOT NULL, 
	content_sha256 VARCHAR(64) NOT NULL, 
	uploaded_at DATETIME NOT NULL, 
	period DATE NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	sent_at DATETIME, 
	CONSTRAINT pk_upload PRIMARY KEY (id), 
	CONSTRAINT ck_upload_status CHECK (status IN ('checked', 'sent', 'discarded')), 
	CONSTRAINT fk_upload_organization_id_organization FOREIGN KEY(organization_id) REFERENCES organization (id), 
	CONSTRAINT fk_upload_person_id_contact_person FOREIGN KEY(person_id) REFERENCES contact_person (id)
);
CREATE TABLE upload_row (
	id INTEGER NOT NULL, 
	upload_id INTEGER NOT NULL, 
	sheet_name VARCHAR(31) NOT NULL, 
	row_number INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	house_id INTEGER, 
	meter_id INTEGER, 
	address VARCHAR(500), 
	apartment VARCHAR(20), 
	account_number VARCHAR(30), 
	meter_number VARCHAR(50), 
	reading_date DATE, 
	raw_date VARCHAR(50), 
	raw_t1 VARCHAR(50), 
	raw_t2 VARCHAR(50), 
	raw_t3 VARCHAR(50), 
	t1 VARCHAR(40), 
	t2 VARCHAR(40), 
	t3 VARCHAR(40), 
	is_valid BOOLEAN NOT NULL, 
	note TEXT, 
	CONSTRAINT pk_upload_row PRIMARY KEY (id), 
	CONSTRAINT ck_upload_row_kind CHECK (kind IN ('individual', 'common_house')), 
	CONSTRAINT fk_upload_row_upload_id_upload FOREIGN KEY(upload_id) REFERENCES upload (id) ON DELETE CASCADE, 
	CONSTRAINT fk_upload_row_house_id_house FOREIGN KEY(house_id) REFERENCES house (id), 
	CONSTRAINT fk_upload_row_meter_id_meter FOREIGN KEY(meter_id) REFERENCES meter (id)
);
CREATE INDEX ix_mail_message_due ON mail_message (sent_at, next_attempt_at);
CREATE INDEX ix_house_organization_id ON house (organization_id);
CREATE INDEX ix_personal_account_house_id ON personal_account (house_id);
CREATE INDEX ix_upload_organization_hash ON upload (organization_id, content_sha256);
CREATE INDEX ix_action_token_person_id ON action_token (person_id);
CREATE INDEX ix_login_session_person_id ON login_session (person_id);
CREATE INDEX ix_meter_personal_account_id ON meter (personal_account_id);
CREATE INDEX ix_meter_house_number ON meter (house_id, number);
CREATE UNIQUE INDEX uq_reading_current ON reading (meter_id, period) WHERE is_current;
CREATE INDEX ix_reading_meter_period ON reading (meter_id, period);
CREATE INDEX ix_reading_upload_id ON reading (upload_id);
CREATE INDEX ix_upload_row_upload_house ON upload_row (upload_id, house_id);
CREATE INDEX ix_export_event_reading_id ON export_event (reading_id);
COMMIT;
