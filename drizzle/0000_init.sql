CREATE TABLE `audit` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`details` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `batches` (
	`seq` integer PRIMARY KEY NOT NULL,
	`batch_id` text NOT NULL,
	`device_id` text NOT NULL,
	`received_at` text NOT NULL,
	`device_time` text NOT NULL,
	`clock_skew_ms` integer NOT NULL,
	`event_count` integer NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `batches_device` ON `batches` (`device_id`,`seq`);--> statement-breakpoint
CREATE TABLE `conflict_candidates` (
	`conflict_id` text NOT NULL,
	`event_id` text NOT NULL,
	PRIMARY KEY(`conflict_id`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`record_id` integer NOT NULL,
	`record_key` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`strategy` text NOT NULL,
	`reason` text NOT NULL,
	`winner` text,
	`candidates` text NOT NULL,
	`distinct_values` integer NOT NULL,
	`is_open` integer NOT NULL,
	`opened_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`closed_at` text,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conflicts_status` ON `conflicts` (`status`,`is_open`);--> statement-breakpoint
CREATE INDEX `conflicts_record` ON `conflicts` (`record_id`);--> statement-breakpoint
CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`conflict_id` text NOT NULL,
	`record_id` integer NOT NULL,
	`kind` text NOT NULL,
	`chosen_event_id` text,
	`value` text NOT NULL,
	`decided_by` text NOT NULL,
	`decided_at` text NOT NULL,
	`comment` text NOT NULL,
	`supersedes` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`paired_at` text NOT NULL,
	`last_dock_at` text,
	`clock_skew_ms` integer,
	`revoked_at` text
);
--> statement-breakpoint
CREATE TABLE `equipment` (
	`id` text PRIMARY KEY NOT NULL,
	`well_id` text,
	`name` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`type` text NOT NULL,
	`record_id` integer NOT NULL,
	`device_id` text,
	`batch_seq` integer,
	`operator_id` text NOT NULL,
	`occurred_at` text NOT NULL,
	`base_version` integer,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`result` text NOT NULL,
	`supersedes` text,
	`superseded_by` text,
	`clock_skew_ms` integer NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `events_id_unique` ON `events` (`id`);--> statement-breakpoint
CREATE TABLE `operators` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`lane` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`event_seq` integer,
	`data` text,
	`created_at` text NOT NULL,
	PRIMARY KEY(`lane`, `seq`)
);
--> statement-breakpoint
CREATE TABLE `pairing_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`used_by` text
);
--> statement-breakpoint
CREATE TABLE `photos` (
	`sha256` text PRIMARY KEY NOT NULL,
	`bytes` integer NOT NULL,
	`mime_type` text,
	`stored_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` integer PRIMARY KEY NOT NULL,
	`event_id` text,
	`dedupe_key` text NOT NULL,
	`device_id` text NOT NULL,
	`batch_seq` integer,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`raw` text NOT NULL,
	`received_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quarantine_dedupe` ON `quarantine` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `quarantine_received` ON `quarantine` (`received_at`);--> statement-breakpoint
CREATE TABLE `records` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`type` text NOT NULL,
	`well_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`value` text NOT NULL,
	`value_from` text,
	`conflict_id` text,
	`state` text NOT NULL,
	`updated_at` text NOT NULL,
	`change_seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `records_key_unique` ON `records` (`key`);--> statement-breakpoint
CREATE TABLE `relay_state` (
	`lane` text PRIMARY KEY NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`acked_through_seq` integer DEFAULT 0 NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`username` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `wells` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`primary_product` text DEFAULT 'oil' NOT NULL,
	`updated_at` text NOT NULL
);
