import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import { Button, Flex, Image, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_MESSAGE } from '../../../contracts/voices.ts';
import { ApiError } from '../../api/client.ts';
import { uploadPhoto, type AttachmentReceiptView, type PhotoView } from '../../api/photos.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** What the picker offers: the types every browser shows (phones turn HEIC into JPEG for such a picker). */
const PICKABLE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const THUMB = 88;

/** One chosen file: uploading, uploaded (with the id and token the message needs), or refused with a reason. */
export interface PickedPhoto {
  readonly key: string;
  readonly name: string;
  readonly previewUrl: string | null;
  readonly status: 'uploading' | 'done' | 'error';
  readonly receipt?: AttachmentReceiptView;
  readonly error?: string;
}

let nextKey = 0;

/**
 * The photos of a message being written: each chosen file is checked here
 * (type, 5 MB) and uploaded at once, so the phone works while the citizen
 * types; `refs` are what the message sends. Previews are object URLs,
 * released when a photo is removed or the form goes away.
 */
export function usePhotoUploads() {
  const { t } = useI18n();
  const [items, setItems] = useState<PickedPhoto[]>([]);
  const [notice, setNotice] = useState<string>();
  const urls = useRef(new Set<string>());

  useEffect(() => {
    const held = urls.current;
    return () => {
      for (const url of held) URL.revokeObjectURL(url);
      held.clear();
    };
  }, []);

  const update = (key: string, change: Partial<PickedPhoto>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const reasonOf = useCallback(
    (name: string, error: unknown): string => {
      if (error instanceof ApiError && error.code === 'unsupported_media_type')
        return t('voices.photos.wrongType', { name });
      if (error instanceof ApiError && error.code === 'payload_too_large') return t('voices.photos.tooLarge', { name });
      return t('voices.photos.failed', { name, detail: error instanceof Error ? error.message : String(error) });
    },
    [t],
  );

  const add = (files: readonly File[]) => {
    setNotice(undefined);
    const kept = items.filter((item) => item.status !== 'error').length;
    const room = Math.max(0, MAX_PHOTOS_PER_MESSAGE - kept);
    if (files.length > room) setNotice(t('voices.photos.tooMany', { max: MAX_PHOTOS_PER_MESSAGE }));
    const added: PickedPhoto[] = [];
    let accepted = 0;
    for (const file of files) {
      const key = `photo-${(nextKey += 1)}`;
      if (!PICKABLE_TYPES.includes(file.type)) {
        added.push({
          key,
          name: file.name,
          previewUrl: null,
          status: 'error',
          error: t('voices.photos.wrongType', { name: file.name }),
        });
        continue;
      }
      if (file.size > MAX_PHOTO_BYTES) {
        added.push({
          key,
          name: file.name,
          previewUrl: null,
          status: 'error',
          error: t('voices.photos.tooLarge', { name: file.name }),
        });
        continue;
      }
      if (accepted >= room) continue;
      accepted += 1;
      const previewUrl = URL.createObjectURL(file);
      urls.current.add(previewUrl);
      added.push({ key, name: file.name, previewUrl, status: 'uploading' });
      uploadPhoto(file, file.type).then(
        (receipt) => update(key, { status: 'done', receipt }),
        (error: unknown) => update(key, { status: 'error', error: reasonOf(file.name, error) }),
      );
    }
    setItems((current) => [...current, ...added]);
  };

  const remove = (key: string) => {
    setItems((current) => {
      const gone = current.find((item) => item.key === key);
      if (gone?.previewUrl) {
        URL.revokeObjectURL(gone.previewUrl);
        urls.current.delete(gone.previewUrl);
      }
      return current.filter((item) => item.key !== key);
    });
    setNotice(undefined);
  };

  /** Marks the photo the server named (`photos[i]` in a 422) as refused, with its message. */
  const refuse = (index: number, message: string) => {
    const target = items.filter((item) => item.status === 'done')[index];
    if (target)
      update(target.key, {
        status: 'error',
        error: t('voices.photos.failed', { name: target.name, detail: message }),
        receipt: undefined,
      });
  };

  const reset = () => {
    for (const url of urls.current) URL.revokeObjectURL(url);
    urls.current.clear();
    setItems([]);
    setNotice(undefined);
  };

  const refs = items.flatMap((item) =>
    item.status === 'done' && item.receipt ? [{ id: item.receipt.id, token: item.receipt.token }] : [],
  );
  return {
    items,
    notice,
    setNotice,
    add,
    remove,
    refuse,
    reset,
    refs,
    busy: items.some((item) => item.status === 'uploading'),
  };
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>;

/** The picker on the submit form: a big button for thumbs, thumbnails with a remove button, each file's problem beside it. */
export function PhotoPicker({ uploads, id }: { uploads: PhotoUploads; id: string }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const full = uploads.items.filter((item) => item.status !== 'error').length >= MAX_PHOTOS_PER_MESSAGE;
  return (
    <Flex vertical gap={8}>
      <input
        ref={input}
        id={id}
        type="file"
        accept={PICKABLE_TYPES.join(',')}
        multiple
        aria-describedby={`${id}-help`}
        style={{ position: 'absolute', width: 1, height: 1, opacity: 0, overflow: 'hidden' }}
        onChange={(event) => {
          uploads.add(Array.from(event.target.files ?? []));
          event.target.value = '';
        }}
      />
      <Button
        icon={<CameraOutlined />}
        size="large"
        disabled={full}
        onClick={() => input.current?.click()}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('voices.photos.add')}
      </Button>
      <Typography.Text type="secondary" id={`${id}-help`}>
        {t('voices.photos.help', { max: MAX_PHOTOS_PER_MESSAGE })}
      </Typography.Text>
      {uploads.notice && (
        <Typography.Text type="warning" role="status">
          {uploads.notice}
        </Typography.Text>
      )}
      {uploads.items.length > 0 && (
        <ul
          aria-label={t('voices.photos.title')}
          style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexWrap: 'wrap', gap: 12 }}
        >
          {uploads.items.map((item) => (
            <li
              key={item.key}
              data-testid="picked-photo"
              data-status={item.status}
              style={{ width: item.status === 'error' ? '100%' : THUMB }}
            >
              <Flex gap={8} align={item.status === 'error' ? 'center' : 'start'} vertical={item.status !== 'error'}>
                {item.previewUrl && item.status !== 'error' && (
                  <img
                    src={item.previewUrl}
                    alt={item.name}
                    width={THUMB}
                    height={THUMB}
                    style={{ objectFit: 'cover', borderRadius: 6, opacity: item.status === 'uploading' ? 0.5 : 1 }}
                  />
                )}
                {item.status === 'error' ? (
                  <Typography.Text type="danger" role="alert" style={{ flex: 1, overflowWrap: 'anywhere' }}>
                    {item.error}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.status === 'uploading' ? t('voices.photos.uploading') : t('voices.photos.uploaded')}
                  </Typography.Text>
                )}
                <Button
                  size="small"
                  icon={<CloseOutlined />}
                  aria-label={t('voices.photos.remove', { name: item.name })}
                  onClick={() => uploads.remove(item.key)}
                />
              </Flex>
            </li>
          ))}
        </ul>
      )}
    </Flex>
  );
}

/** Types a browser may not draw (HEIC outside Safari): offered as a link instead of a thumbnail. */
const DRAWABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** A message's photos as thumbnails; a click enlarges one (and pages through the rest). */
export function PhotoGallery({ photos, srcOf }: { photos: readonly PhotoView[]; srcOf: (photoId: number) => string }) {
  const { t } = useI18n();
  if (photos.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Flex wrap gap={8} style={{ marginTop: 8 }} data-testid="photo-gallery">
        {photos.map((photo, index) =>
          DRAWABLE.has(photo.contentType) ? (
            <Image
              key={photo.id}
              src={srcOf(photo.id)}
              alt={t('voices.photos.alt', { n: index + 1 })}
              width={THUMB}
              height={THUMB}
              style={{ objectFit: 'cover', borderRadius: 6 }}
            />
          ) : (
            <Typography.Link key={photo.id} href={srcOf(photo.id)} target="_blank" rel="noopener">
              {t('voices.photos.open', { n: index + 1, type: photo.contentType })}
            </Typography.Link>
          ),
        )}
      </Flex>
    </Image.PreviewGroup>
  );
}
